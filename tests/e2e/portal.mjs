// portal.mjs GCA ARTEFACTS - browser test of the portal: playwright-core
// driving Debian's chromium against `gca serve` on 127.0.0.1 over a fresh
// database. Public pages (home, rankings -> a country profile, search,
// compare, a table sorted from the keyboard), then the workflow through
// the workspace pages: a focal point answers and submits with a URL and
// a file as evidence, an analyst returns it with a comment, the focal
// point resubmits, the analyst approves, the admin scores, closes and
// publishes, and the public profile shows the new score. A screenshot of
// each page goes to ARTEFACTS. Exit status 0 when every step holds.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [gca, artefacts] = process.argv.slice(2);
const PASSWORD = "correct horse battery";
const work = mkdtempSync(join(tmpdir(), "gca-e2e-"));
const db = join(work, "t.db");
mkdirSync(artefacts, { recursive: true });

function run(...args) {
  return execFileSync(gca, args, { input: PASSWORD + "\n",
                                   stdio: ["pipe", "pipe", "inherit"] });
}

run("db", "init", "--db", db);
run("user", "add", "admin", "--role", "admin", "--password-file", "-",
    "--db", db);
run("user", "add", "ana", "--role", "analyst", "--password-file", "-",
    "--as", "admin", "--db", db);
run("user", "add", "fra", "--role", "focal", "--country", "FRA",
    "--password-file", "-", "--as", "admin", "--db", db);
run("edition", "create", "--framework", "gci", "--year", "2026", "--as",
    "admin", "--db", db);
run("edition", "open", "gci-2026", "--as", "admin", "--db", db);
run("key", "generate", "--out", join(work, "key"));

const server = spawn(gca, ["serve", "--db", db, "--listen", "127.0.0.1:0",
                           "--key", join(work, "key.key"), "--quiet"],
                     { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve, reject) => {
  server.stdout.once("data", (d) => {
    const m = /listening on (http:\/\/\S+)\//.exec(d.toString());
    m ? resolve(m[1]) : reject(new Error("server: " + d));
  });
  server.once("exit", (c) => reject(new Error("server exited " + c)));
});

const exe = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"]
  .find((p) => existsSync(p));
const browser = await chromium.launch({ executablePath: exe,
                                        args: ["--no-sandbox"] });
let failures = 0;
let shots = 0;

function check(ok, what) {
  if (!ok) {
    failures++;
    console.log("FAIL " + what);
  }
}

async function shot(page, name) {
  shots++;
  await page.screenshot({ path: join(artefacts,
                                     String(shots).padStart(2, "0") + "-" +
                                     name + ".png"), fullPage: true });
}

// A failed step says why, with the page's status line and a screenshot.
async function step(name, fn, page) {
  try {
    await fn();
  } catch (e) {
    failures++;
    let line = "";
    if (page) {
      line = await page.locator("#ws-status").textContent({ timeout: 1000 })
        .catch(() => "");
      await page.screenshot({ path: join(artefacts, "FAIL-" +
                                         name.replace(/\W+/g, "-") +
                                         ".png"), fullPage: true })
        .catch(() => {});
    }
    console.log("FAIL " + name + ": " + e.message.split("\n")[0] +
                (line ? " [status: " + line + "]" : ""));
  }
}

async function loggedIn(name) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(url + "/login");
  await page.fill("#name", name);
  await page.fill("#password", PASSWORD);
  await page.click("#login button");
  await page.waitForURL(url + "/workspace");
  await page.waitForSelector("#ws > section");
  return page;
}

// The workspace's status line says "WHAT: done." after a change, or why
// not; a refusal fails at once instead of waiting.
async function done(page, what) {
  const line = page.locator("#ws-status").filter({ hasText: what + ":" });
  await line.waitFor();
  const text = await line.textContent();
  if (!text.endsWith(": done.") && !/: done \(/.test(text))
    throw new Error(text);
}

const state = (page, code) =>
  page.locator(`article.question[data-code="${code}"] .state`);

try {
  const pub = await (await browser.newContext()).newPage();
  await step("home", async () => {
    await pub.goto(url + "/");
    check((await pub.locator("h1").textContent()).length > 0, "home: h1");
    check(await pub.locator("table tbody tr").count() === 10,
          "home: top ten rows");
    check(await pub.locator("svg.map path").count() > 150, "home: the map");
    await pub.selectOption("#region", "Africa");
    await pub.click("form.filters button");
    await pub.waitForURL(/region=Africa/);
    check(await pub.locator("svg.map path.out").count() > 100,
          "home: the map of Africa");
    await shot(pub, "home");
  });
  await step("rankings to a profile", async () => {
    await pub.goto(url + "/rankings");
    const first = pub.locator("table tbody tr").first().locator("a");
    const name = await first.textContent();
    await first.click();
    await pub.waitForSelector("h2#sec");
    check((await pub.locator("h1").textContent()) === name,
          "profile opened from the rankings");
    check(await pub.locator("section[aria-labelledby=rig]").count() === 1,
          "profile: rights beside security");
    await shot(pub, "profile-from-rankings");
  });
  await step("sort from the keyboard", async () => {
    await pub.goto(url + "/rankings");
    const th = pub.locator("table.sortable th").nth(1);
    await th.focus();
    await pub.keyboard.press("Enter");
    check(await th.getAttribute("aria-sort") === "ascending",
          "rankings: header sorts from the keyboard");
    const names = await pub.locator("table tbody tr td:nth-child(2)")
      .allTextContents();
    const sorted = [...names].sort((a, b) =>
      a.toLowerCase() < b.toLowerCase() ? -1 : 1);
    check(names.join("|") === sorted.join("|"), "rankings: sorted by name");
  });
  await step("search", async () => {
    await pub.goto(url + "/search");
    await pub.fill("#q", "budapest convention");
    await pub.click("form[role=search] button");
    await pub.waitForSelector("ol li mark");
    check(/entr(y|ies) found/.test(await pub.locator("[role=status]")
                                           .textContent()), "search: count");
    await shot(pub, "search");
  });
  await step("compare", async () => {
    await pub.goto(url + "/compare");
    await pub.fill("#countries", "FRA,DEU,GBR");
    await pub.click("main form button");
    await pub.waitForSelector(".compare section");
    check(await pub.locator(".compare section").count() === 3,
          "compare: three countries");
    await shot(pub, "compare");
  });

  const fra = await loggedIn("fra");
  const q = 'article.question[data-code="LEG.1.1"]';
  await step("focal answers with a URL and a file, and submits", async () => {
    await fra.selectOption(q + " select[name=value]", "no");
    await fra.fill(q + " textarea[name=comment]", "draft law");
    await fra.click(q + " button.save");
    await state(fra, "LEG.1.1").filter({ hasText: "draft" }).waitFor();
    await fra.fill(q + " input[name=url]", "https://example.org/law");
    await fra.click(q + " button.add-url");
    await done(fra, "Add URL LEG.1.1");
    await fra.setInputFiles(q + " input[name=file]", {
      name: "law.txt", mimeType: "text/plain",
      buffer: Buffer.from("The law, as drafted.\n") });
    await fra.click(q + " button.add-file");
    await done(fra, "Upload file LEG.1.1");
    check(await fra.locator(q + " ul.evidence li").count() === 2 &&
          await fra.locator(q + " ul.evidence li").filter(
            { hasText: "law.txt" }).count() === 1,
          "focal: the two pieces of evidence are listed");
    await fra.click(q + " button.submit");
    await state(fra, "LEG.1.1").filter({ hasText: "submitted" }).waitFor();
    await shot(fra, "focal-submitted");
  }, fra);
  const ana = await loggedIn("ana");
  const item = 'article.review-item[data-country="FRA"][data-code="LEG.1.1"]';
  await step("analyst returns with a comment", async () => {
    await ana.fill(item + " textarea", "the law passed in May");
    await shot(ana, "analyst-queue");
    await ana.click(item + " button.return");
    await ana.locator(item).waitFor({ state: "detached" });
  }, ana);
  await step("focal sees the comment and resubmits", async () => {
    await fra.reload();
    await fra.locator(q + " .review").filter(
      { hasText: "the law passed in May" }).waitFor();
    await fra.selectOption(q + " select[name=value]", "yes");
    await fra.click(q + " button.save");
    await done(fra, "Save draft LEG.1.1");
    await fra.click(q + " button.submit");
    await state(fra, "LEG.1.1").filter({ hasText: "resubmitted" }).waitFor();
    await shot(fra, "focal-resubmitted");
  }, fra);
  await step("analyst approves", async () => {
    await ana.reload();
    await ana.click(item + " button.history");
    await ana.locator(item + " ol.history li").filter(
      { hasText: "answer.return" }).waitFor();
    await ana.click(item + " button.approve");
    await ana.locator(item).waitFor({ state: "detached" });
  }, ana);
  await step("analyst records an answer from open sources", async () => {
    await ana.fill("#os-country", "FRA");
    await ana.selectOption("#os-question", "LEG.1.1.1");
    await ana.selectOption("#os-value", "yes");
    await ana.fill("#os-url", "https://example.org/penal-code");
    await ana.click("#open-source button[type=submit]");
    await done(ana, "record FRA LEG.1.1.1");
    const mine = 'article.review-item[data-country="FRA"]' +
                 '[data-code="LEG.1.1.1"]';
    await ana.locator(mine).filter({ hasText: "source: analyst" }).waitFor();
    // Filters: another country's queue is empty; approved ones show.
    await ana.fill("#rq-country", "DEU");
    await ana.click("#queue-filters button");
    await ana.locator("#review h2").filter({ hasText: "(0)" }).waitFor();
    await ana.fill("#rq-country", "FRA");
    await ana.selectOption("#rq-state", "approved");
    await ana.click("#queue-filters button");
    await ana.locator(item).waitFor();
    check(await ana.locator("article.review-item").count() === 1,
          "analyst: the approved filter shows FRA LEG.1.1 alone");
    await shot(ana, "analyst-filters-and-open-source");
    await ana.selectOption("#rq-state", "waiting");
    await ana.click("#queue-filters button");
    await ana.click(mine + " button.approve");
    await ana.locator(mine).waitFor({ state: "detached" });
  }, ana);
  await step("focal confirms the analyst's answer", async () => {
    await fra.reload();
    const os = 'article.question[data-code="LEG.1.1.1"]';
    await fra.locator(os + " .from-analyst").filter(
      { hasText: "please confirm" }).waitFor();
    await fra.click(os + " button.confirm");
    await done(fra, "Confirm LEG.1.1.1");
    await fra.locator(os + " .from-analyst").filter(
      { hasText: "confirmed by fra" }).waitFor();
  }, fra);
  const admin = await loggedIn("admin");
  await step("admin adds a user", async () => {
    await admin.fill("#nu-name", "vera");
    await admin.selectOption("#nu-role", "viewer");
    await admin.fill("#nu-password", "another long secret");
    await admin.click("#new-user button");
    await done(admin, "add user vera");
    check(await admin.locator("#users li").filter({ hasText: "vera (viewer)" })
            .count() === 1, "admin: the new user is listed");
  }, admin);
  await step("admin scores, closes and publishes", async () => {
    const row = 'tr[data-edition="gci-2026"]';
    for (const act of ["score", "close", "publish"]) {
      await admin.click(`${row} button.${act}`);
      await done(admin, act + " gci-2026");
    }
    check(await admin.locator(row + " .state").textContent() === "published",
          "admin: edition published");
    await shot(admin, "admin-published");
  }, admin);
  await step("the public profile shows the new score", async () => {
    await pub.goto(url + "/countries/FRA");
    const score = await pub.locator(".edition-score").textContent();
    check(/^\d+(\.\d+)?/.test(score.trim()),
          "public profile: edition score '" + score + "'");
    check(await pub.locator("table.history tbody tr").filter(
            { hasText: "gci-2026" }).count() === 1 &&
          await pub.locator("table.history tbody tr").filter(
            { hasText: "GCI 2020" }).count() === 1,
          "public profile: edition history");
    check(await pub.locator("table.indicators tbody tr").count() > 0,
          "public profile: the edition's indicator table");
    await shot(pub, "public-profile-new-score");
  });
  await step("the home map of the new edition, by tier", async () => {
    await pub.goto(url + "/");
    await pub.selectOption("#edition", "gci-2026");
    await pub.selectOption("#show", "tier");
    await pub.click("form.filters button");
    await pub.waitForURL(/edition=gci-2026/);
    const fra = pub.locator("svg.map path").filter({ hasText: /^France: T/ });
    check(await fra.count() === 1, "map: France coloured by its tier");
    check(await pub.locator("ul.legend li").filter(
            { hasText: "Role-modelling" }).count() === 1, "map: tier legend");
    await shot(pub, "home-edition-tiers");
  }, pub);
  await step("the edition's rankings show rank intervals", async () => {
    await pub.goto(url + "/rankings?edition=gci-2026");
    check(await pub.locator("th abbr").filter({ hasText: "Rank interval" })
            .count() === 1, "rankings: rank interval column");
    const cell = pub.locator("table tbody tr").filter({ hasText: "France" })
      .locator("td.interval");
    check(/^\d+(–\d+)?$/.test((await cell.textContent()).trim()),
          "rankings: France's rank interval");
    await shot(pub, "rankings-edition-intervals");
  }, pub);
  await step("rankings filtered by income group", async () => {
    await pub.goto(url + "/rankings");
    await pub.selectOption("#income", "Low income");
    await pub.click("form.filters button");
    await pub.waitForURL(/income=Low/);
    const rows = pub.locator("table tbody tr");
    const n = await rows.count();
    check(n > 0 && await rows.filter({ hasText: "Low income" }).count() === n,
          "rankings: only low-income countries (" + n + ")");
    await shot(pub, "rankings-low-income");
  }, pub);
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
console.log(`${shots} screenshots in ${artefacts}, ${failures} failed`);
process.exit(failures ? 1 : 0);
