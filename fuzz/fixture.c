/* fixture.c - the embedded framework and data of fixture.h, and the
 * checks the harnesses share. */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char fuzz_fixture_imeta[] =
    "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,"
    "Type,goalpost_lower,goalpost_upper,goalpost_scale,minmax_lower,"
    "minmax_upper,zscore_mean,zscore_sd\n"
    "1,LPI,Logistics,1,1,Score,4.1,NA,Conn,Indicator,1,5,100,0,100,0,1\n"
    "1,Flights,Flights,1,1,Seats,200,Population,Conn,Indicator,0,300,100,0,"
    "100,0,1\n"
    "1,Ship,Shipping,1,2,Score,20,NA,Conn,Indicator,0,120,10,0,100,0,1\n"
    "1,Bord,Border crossings,-1,1,Number,115,Area,Conn,Indicator,0,60,100,"
    "0,100,0,1\n"
    "1,Elec,Electricity,1,0.5,TWh,30,GDP,Sust,Indicator,0,8000,1,0,100,0,"
    "1\n"
    "1,Gas,Gas,1,1,bcm,10,NA,Sust,Indicator,0,300,100,0,100,0,1\n"
    "1,CO2,Emissions,-1,1,t,5,NA,Sust,Indicator,0,30,100,0,100,0,1\n"
    "2,Conn,Connectivity,1,1,Score,NA,NA,Index,Aggregate,NA,NA,NA,NA,NA,NA,"
    "NA\n"
    "2,Sust,Sustainability,1,1,Score,NA,NA,Index,Aggregate,NA,NA,NA,NA,NA,"
    "NA,NA\n"
    "3,Index,Index,1,1,Score,NA,NA,NA,Aggregate,NA,NA,NA,NA,NA,NA,NA\n"
    "NA,EurAsia_group,Europe or Asia,NA,NA,NA,NA,NA,NA,Group,NA,NA,NA,NA,"
    "NA,NA,NA\n"
    "NA,Population,Population,NA,NA,Thousands,NA,NA,NA,Denominator,NA,NA,"
    "NA,NA,NA,NA,NA\n"
    "NA,Area,Land area,NA,NA,km2,NA,NA,NA,Denominator,NA,NA,NA,NA,NA,NA,"
    "NA\n"
    "NA,GDP,GDP,NA,NA,USD,NA,NA,NA,Denominator,NA,NA,NA,NA,NA,NA,NA\n";

const char fuzz_fixture_idata[] =
    "uName,uCode,EurAsia_group,Time,Population,Area,GDP,"
    "LPI,Flights,Ship,Bord,Elec,Gas,CO2\n"
    "Austria,AUT,Europe,2018,8735,83871,390.8,4.1,29.0,0,35,35.4,0.27,6.9\n"
    "Belgium,BEL,Europe,2018,11429,30528,467.9,4.1,31.9,20.6,48,26.5,36.1,"
    "8.3\n"
    "China,CHN,Asia,2018,1415045,9600000,12237,3.6,NA,,15,6500,240,7.0\n"
    "Denmark,DNK,Europe,2018,5754,43094,324.9,4.0,30.1,23.1,2,NA,3.1,5.9\n"
    "India,IND,Asia,2018,1354051,3287263,2600,3.2,150.2,66.1,0,1500,NA,"
    "1.7\n"
    "Japan,JPN,Asia,2018,127185,377930,4971,4.0,255.0,100.0,21,1000,116.7,"
    "9.5\n"
    "Latvia,LVA,Europe,2018,1942,64589,30.3,NA,NA,NA,NA,NA,NA,NA\n"
    "Mongolia,MNG,Asia,2018,3121,1564116,11.5,2.4,1.2,0,-3,5.9,0,"
    "24000\n";

static void die(const char *what, const gca_err *err)
{
    char buf[1024];
    gca_err_format(err, buf, sizeof buf);
    fprintf(stderr, "fuzz: %s: %s (%s, %s)\n", what, buf,
            gca_err_name(err->code), err->origin ? err->origin : "?");
    abort();
}

void fuzz_check(int rc, const gca_err *err, const char *what)
{
    if (rc != 0)
        die(what, err);
}

void fuzz_check_failure(int rc, const gca_err *err, const char *what)
{
    /* GCA_EINTERNAL is a bug whatever the input. */
    if (rc >= 0 || rc == GCA_EINTERNAL || err->code != rc ||
        err->msg[0] == '\0' ||
        !strcmp(gca_err_name(rc), gca_err_name(1)))
        die(what, err);
}

void fuzz_fixture_load(gca_framework **fw, gca_dataset **ds)
{
    gca_err err = {0};
    fuzz_check(gca_framework_load_mem(fuzz_fixture_imeta,
                                      sizeof fuzz_fixture_imeta - 1,
                                      "fixture_iMeta.csv", fw, NULL, &err),
               &err, "fixture framework");
    if (!ds)
        return;
    fuzz_check(gca_dataset_read_csv_mem(fuzz_fixture_idata,
                                        sizeof fuzz_fixture_idata - 1,
                                        "fixture_iData.csv", ds, &err),
               &err, "fixture data");
    fuzz_check(gca_dataset_bind(*ds, *fw, NULL, NULL, &err), &err,
               "fixture data bind");
}
