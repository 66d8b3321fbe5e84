// workspace.js - the workspace, built from the JSON API for the logged-in
// user's role: the questionnaire of the focal point's country (answers,
// evidence as a URL or a file and the list of what is attached,
// submission, the analyst's comments, confirming answers analysts
// recorded), the analysts' review queue (filters; approve, or return with
// a comment; the audit trail) and their form for an answer recorded from
// open sources, and the admins' editions (open, close, score, publish)
// and users. Every change
// sends the session's CSRF token. Text from the server is set with
// textContent, never parsed as HTML.

const ws = document.getElementById("ws");
const role = ws.dataset.role;
const country = ws.dataset.country;
const status = document.getElementById("ws-status");
const editionSel = document.getElementById("edition");
let csrf = "";

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

async function api(method, path, body, raw) {
  const headers = { "X-CSRF-Token": csrf };
  let data;
  if (raw) {
    headers["Content-Type"] = "application/octet-stream";
    data = raw;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    data = JSON.stringify(body);
  }
  const r = await fetch(path, { method, headers, body: data,
                                credentials: "same-origin" });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(j.error ? j.error.message : r.statusText);
  return j;
}

function say(msg) {
  status.textContent = msg;
}

const base = () => "/api/v1/editions/" + encodeURIComponent(editionSel.value);

// ====== Focal point: the questionnaire ======

function answerInput(q, current) {
  if (q.type === "number") {
    const i = el("input", { type: "number", name: "value", step: "any" });
    if (q.min !== null) i.min = q.min;
    if (q.max !== null) i.max = q.max;
    if (current) i.value = current;
    return i;
  }
  const s = el("select", { name: "value" }, el("option", { value: "",
                                                           text: "-" }));
  for (const c of q.choices) {
    const o = el("option", { value: c.value, text: c.label });
    if (c.value === current) o.selected = true;
    s.append(o);
  }
  return s;
}

// The evidence attached to one question, as a list.
function evidenceList(items) {
  const ul = el("ul", { class: "evidence" });
  for (const e of items) {
    const what = e.kind === "url" ? e.url
      : (e.file_name || "file") + " (" + e.size + " bytes, sha256 " +
        (e.sha256 || "").slice(0, 12) + "...)";
    ul.append(el("li", { text: what + ", " + e.visibility + ", added by " +
                               (e.added_by || "?") + " " +
                               (e.added_at || "") }));
  }
  if (!items.length) ul.append(el("li", { text: "none yet" }));
  return ul;
}

async function questionnaire() {
  const [qs, as, ev] = await Promise.all([
    api("GET", base() + "/questions"),
    api("GET", base() + "/answers?country=" + encodeURIComponent(country)),
    api("GET", base() + "/evidence?country=" + encodeURIComponent(country)),
  ]);
  const byCode = new Map(as.answers.map((a) => [a.question, a]));
  const evOf = (code) => ev.evidence.filter((e) => e.question === code);
  const sec = el("section", { id: "questionnaire" },
                 el("h2", { text: "Questionnaire of " + country }));
  for (const q of qs.questions) {
    const a = byCode.get(q.code) || {};
    const id = "q-" + q.code.replace(/[^A-Za-z0-9]/g, "-");
    const input = answerInput(q, a.value);
    input.id = id + "-value";
    const comment = el("textarea", { name: "comment", id: id + "-comment" });
    comment.value = a.comment || "";
    const url = el("input", { type: "url", name: "url", id: id + "-url" });
    const day = el("input", { type: "date", name: "retrieved",
                              id: id + "-retrieved" });
    day.value = new Date().toISOString().slice(0, 10);
    const file = el("input", { type: "file", name: "file", id: id + "-file" });
    const path = base() + "/answers/" + country + "/" + q.code;
    const evPath = base() + "/evidence/" + country + "/" + q.code;
    // The section is drawn again after a change, so the outcome goes to
    // the page's status line, which stays.
    const act = (label, cls, fn) => {
      const b = el("button", { type: "button", class: cls, text: label });
      b.addEventListener("click", async () => {
        try {
          await fn();
          await render();
          say(label + " " + q.code + ": done.");
        } catch (e) {
          say(label + " " + q.code + ": " + e.message);
        }
      });
      return b;
    };
    sec.append(el("article", { class: "question", "data-code": q.code, id },
      el("h3", { text: q.code + " " + q.text }),
      el("p", { class: "state", text: "State: " + (a.state || "not answered") }),
      a.review_comment ? el("p", { class: "review",
                                   text: "Analyst: " + a.review_comment })
                       : null,
      a.source === "analyst"
        ? el("p", { class: "from-analyst", text: "Recorded by an analyst " +
                    "from open sources" + (a.confirmed_by
                      ? "; confirmed by " + a.confirmed_by + "."
                      : "; please confirm it or answer in its place.") })
        : null,
      a.source === "analyst" && !a.confirmed_by
        ? act("Confirm", "confirm", () => api("POST", path + "/confirm"))
        : null,
      el("p", {}, el("label", { for: input.id, text: "Answer " }), input),
      el("p", {}, el("label", { for: comment.id, text: "Comment " }), comment),
      act("Save draft", "save", () => api("PUT", path, {
        value: input.value, comment: comment.value || null })),
      el("fieldset", {}, el("legend", { text: "Evidence" }),
        evidenceList(evOf(q.code)),
        el("p", {}, el("label", { for: url.id, text: "URL " }), url, " ",
           el("label", { for: day.id, text: "read on " }), day, " ",
           act("Add URL", "add-url", () => api("POST", evPath, {
             url: url.value, retrieved: day.value }))),
        el("p", {}, el("label", { for: file.id, text: "File " }), file, " ",
           act("Upload file", "add-file", async () => {
             const f = file.files[0];
             if (!f) throw new Error("choose a file first");
             await api("POST", evPath + "/file?name=" +
                       encodeURIComponent(f.name), undefined,
                       await f.arrayBuffer());
           }))),
      act("Submit", "submit", () => api("POST", path + "/submit"))));
  }
  return sec;
}

// ====== Analyst: the review queue ======

// The queue's filters, kept across redraws.
const queue = { state: "waiting", country: "", question: "", source: "" };

function queueFilters() {
  const state = el("select", { id: "rq-state" });
  for (const [v, t] of [["waiting", "waiting for review"],
                        ["submitted", "submitted"],
                        ["resubmitted", "resubmitted"],
                        ["returned", "returned"], ["approved", "approved"],
                        ["draft", "draft"], ["", "any state"]])
    state.append(el("option", { value: v, text: t }));
  state.value = queue.state;
  const cty = el("input", { id: "rq-country", size: "4",
                            placeholder: "ISO3" });
  cty.value = queue.country;
  const q = el("input", { id: "rq-question", size: "8",
                          placeholder: "LEG, LEG.1 ..." });
  q.value = queue.question;
  const src = el("select", { id: "rq-source" });
  for (const [v, t] of [["", "any source"], ["country", "the country"],
                        ["analyst", "analysts"]])
    src.append(el("option", { value: v, text: t }));
  src.value = queue.source;
  const form = el("form", { id: "queue-filters", class: "filters" },
    el("label", { for: "rq-state", text: "State " }), state, " ",
    el("label", { for: "rq-country", text: "Country " }), cty, " ",
    el("label", { for: "rq-question", text: "Question starts with " }), q,
    " ", el("label", { for: "rq-source", text: "Source " }), src, " ",
    el("button", { type: "submit", text: "Filter" }));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    Object.assign(queue, { state: state.value,
                           country: cty.value.trim().toUpperCase(),
                           question: q.value.trim(), source: src.value });
    render().catch((e) => say(e.message));
  });
  return form;
}

async function reviewQueue() {
  const states = queue.state === "waiting" ? ["submitted", "resubmitted"]
                                           : [queue.state];
  const lists = await Promise.all(states.map((s) => {
    const args = new URLSearchParams();
    if (s) args.set("state", s);
    if (queue.country) args.set("country", queue.country);
    return api("GET", base() + "/answers?" + args);
  }));
  const items = lists.flatMap((l) => l.answers).filter((a) =>
    a.question.startsWith(queue.question) &&
    (!queue.source || a.source === queue.source));
  const sec = el("section", { id: "review" },
                 el("h2", { text: "Review queue (" + items.length + ")" }),
                 queueFilters());
  for (const a of items) {
    const id = "r-" + a.country + "-" + a.question.replace(/[^A-Za-z0-9]/g, "-");
    const comment = el("textarea", { name: "comment", id: id + "-comment" });
    const path = base() + "/answers/" + a.country + "/" + a.question +
                 "/review";
    const decide = (decision, label) => {
      const b = el("button", { type: "button", class: decision, text: label });
      b.addEventListener("click", async () => {
        try {
          await api("POST", path, { decision,
                                    comment: comment.value || null });
          await render();
          say(label + " " + a.country + " " + a.question + ": done.");
        } catch (e) {
          say(label + " " + a.country + " " + a.question + ": " +
              e.message);
        }
      });
      return b;
    };
    const history = el("ol", { class: "history" });
    const showHistory = el("button", { type: "button", class: "history",
                                       text: "History" });
    showHistory.addEventListener("click", async () => {
      try {
        const h = await api("GET", base() + "/answers/" + a.country + "/" +
                            a.question + "/history");
        history.replaceChildren(...h.events.map((e) => el("li", {
          text: e.at + " " + e.actor + " " + e.action +
                (e.data && e.data.comment ? ": " + e.data.comment : "") })));
      } catch (e) {
        say("history: " + e.message);
      }
    });
    sec.append(el("article", { class: "review-item", id,
                               "data-country": a.country,
                               "data-code": a.question },
      el("h3", { text: a.country + " " + a.question + ": " + (a.value || "") }),
      el("p", { class: "state", text: "State: " + a.state + ", source: " +
                a.source + (a.comment ? "; comment: " + a.comment : "") }),
      el("p", {}, el("label", { for: comment.id, text: "Comment " }), comment),
      decide("approve", "Approve"), " ", decide("return", "Return"), " ",
      showHistory, history));
  }
  return sec;
}

// An answer recorded from open sources: value, comment and the source's
// address as evidence, then submitted; the country is invited to confirm.
async function openSourceForm() {
  const qs = await api("GET", base() + "/questions");
  const cty = el("input", { id: "os-country", size: "4", required: "",
                            placeholder: "ISO3" });
  const qsel = el("select", { id: "os-question" });
  for (const q of qs.questions)
    qsel.append(el("option", { value: q.code, text: q.code + " " + q.text }));
  let input = answerInput(qs.questions[0] || { choices: [] });
  input.id = "os-value";
  const holder = el("span", {}, input);
  qsel.addEventListener("change", () => {
    input = answerInput(qs.questions.find((q) => q.code === qsel.value));
    input.id = "os-value";
    holder.replaceChildren(input);
  });
  const comment = el("textarea", { id: "os-comment" });
  const url = el("input", { id: "os-url", type: "url", required: "",
                            placeholder: "https://..." });
  const day = el("input", { id: "os-retrieved", type: "date" });
  day.value = new Date().toISOString().slice(0, 10);
  const form = el("form", { id: "open-source" },
    el("p", {}, el("label", { for: "os-country", text: "Country " }), cty,
       " ", el("label", { for: "os-question", text: "Question " }), qsel),
    el("p", {}, el("label", { for: "os-value", text: "Answer " }), holder),
    el("p", {}, el("label", { for: "os-comment", text: "Comment " }),
       comment),
    el("p", {}, el("label", { for: "os-url", text: "Source (URL) " }), url,
       " ", el("label", { for: "os-retrieved", text: "read on " }), day),
    el("button", { type: "submit", text: "Record and submit" }));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const c = cty.value.trim().toUpperCase(), q = qsel.value;
    const what = "record " + c + " " + q;
    try {
      await api("PUT", base() + "/answers/" + c + "/" + q,
                { value: input.value, comment: comment.value || null });
      await api("POST", base() + "/evidence/" + c + "/" + q,
                { url: url.value, retrieved: day.value });
      await api("POST", base() + "/answers/" + c + "/" + q + "/submit");
      await render();
      say(what + ": done.");
    } catch (e) {
      say(what + ": " + e.message);
    }
  });
  return el("section", { id: "record" },
            el("h2", { text: "Record an answer from open sources" }), form);
}

// ====== Admin: editions and users ======

async function admin() {
  const eds = await api("GET", "/api/v1/editions");
  const sec = el("section", { id: "admin" }, el("h2", { text: "Editions" }));
  const table = el("table", {}, el("thead", {}, el("tr", {},
    el("th", { scope: "col", text: "Edition" }),
    el("th", { scope: "col", text: "State" }),
    el("th", { scope: "col", text: "Actions" }))));
  const body = el("tbody");
  for (const e of eds.editions) {
    const cell = el("td");
    for (const act of ["open", "close", "score", "publish"]) {
      const b = el("button", { type: "button", class: act,
                               "data-edition": e.code, text: act });
      b.addEventListener("click", async () => {
        try {
          const r = await api("POST", "/api/v1/editions/" + e.code + "/" + act);
          await render();
          say(act + " " + e.code + ": done" +
              (r.scored !== undefined ? " (" + r.scored + " scored)" : "") +
              ".");
        } catch (err) {
          say(act + " " + e.code + ": " + err.message);
        }
      });
      cell.append(b, " ");
    }
    body.append(el("tr", { "data-edition": e.code },
                   el("td", { text: e.code }),
                   el("td", { class: "state", text: e.state }), cell));
  }
  table.append(body);
  sec.append(table);
  const users = await api("GET", "/api/v1/users");
  const ul = el("ul", { id: "users" });
  for (const u of users.users)
    ul.append(el("li", { text: u.name + " (" + u.role +
                                (u.country ? ", " + u.country : "") + ")" }));
  // A new user: name, role, country (focal points), first password.
  const name = el("input", { id: "nu-name", name: "name", required: "" });
  const roleSel = el("select", { id: "nu-role", name: "role" });
  for (const r of ["viewer", "focal", "analyst", "admin"])
    roleSel.append(el("option", { value: r, text: r }));
  const cty = el("input", { id: "nu-country", name: "country",
                            placeholder: "ISO3, for a focal point" });
  const pw = el("input", { id: "nu-password", name: "password",
                           type: "password", autocomplete: "new-password" });
  const form = el("form", { id: "new-user" },
    el("p", {}, el("label", { for: "nu-name", text: "Name " }), name, " ",
       el("label", { for: "nu-role", text: "Role " }), roleSel, " ",
       el("label", { for: "nu-country", text: "Country " }), cty, " ",
       el("label", { for: "nu-password", text: "Password " }), pw, " ",
       el("button", { type: "submit", text: "Add user" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await api("POST", "/api/v1/users", {
        name: name.value, role: roleSel.value,
        country: cty.value || null, password: pw.value || null });
      await render();
      say("add user " + name.value + ": done.");
    } catch (err) {
      say("add user " + name.value + ": " + err.message);
    }
  });
  sec.append(el("h2", { text: "Users" }), ul, form);
  return sec;
}

// ====== Start ======

async function render() {
  const parts = [];
  if (role === "focal") parts.push(await questionnaire());
  if (role === "analyst")
    parts.push(await reviewQueue(), await openSourceForm());
  if (role === "admin") parts.push(await admin());
  ws.replaceChildren(...parts);
}

async function start() {
  try {
    const s = await api("GET", "/api/v1/session");
    csrf = s.csrf;
    const eds = await api("GET", "/api/v1/editions");
    for (const e of eds.editions)
      editionSel.append(el("option", { value: e.code,
                                       text: e.code + " (" + e.state + ")" }));
    const open = eds.editions.find((e) => e.state === "open");
    if (open) editionSel.value = open.code;
    editionSel.addEventListener("change", () => render().catch(
      (e) => say(e.message)));
    document.getElementById("logout").addEventListener("click", async () => {
      await api("DELETE", "/api/v1/session").catch(() => {});
      location.assign("/login");
    });
    if (editionSel.value) await render();
    else say("No edition yet.");
  } catch (e) {
    say(e.message);
  }
}

start();
