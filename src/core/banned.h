/* banned.h - functions that are easy to misuse; using one is a compile
 * error. Use gca_buf, strtod with an end pointer and gmtime_r instead. */
#ifndef GCA_BANNED_H
#define GCA_BANNED_H

#define GCA__BANNED(func) sorry_##func##_is_banned_in_gca

#undef strcpy
#define strcpy(...) GCA__BANNED(strcpy)
#undef strcat
#define strcat(...) GCA__BANNED(strcat)
#undef strncpy
#define strncpy(...) GCA__BANNED(strncpy)
#undef sprintf
#define sprintf(...) GCA__BANNED(sprintf)
#undef strtok
#define strtok(...) GCA__BANNED(strtok)
#undef atoi
#define atoi(...) GCA__BANNED(atoi)
#undef atof
#define atof(...) GCA__BANNED(atof)
#undef gmtime
#define gmtime(...) GCA__BANNED(gmtime)
#undef localtime
#define localtime(...) GCA__BANNED(localtime)

#endif
