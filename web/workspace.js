// workspace.js - the workspace, built from the JSON API for the logged-in
// user's role: the questionnaire of the focal point's country (answers,
// evidence as a URL or a file, submission, the analyst's comments), the
// analysts' review queue (approve, or return with a comment), and the
// admins' editions (open, close, score, publish) and users. Every change
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

async function questionnaire() {
  const [qs, as] = await Promise.all([
    api("GET", base() + "/questions"),
    api("GET", base() + "/answers?country=" + encodeURIComponent(country)),
  ]);
  const byCode = new Map(as.answers.map((a) => [a.question, a]));
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
      el("p", {}, el("label", { for: input.id, text: "Answer " }), input),
      el("p", {}, el("label", { for: comment.id, text: "Comment " }), comment),
      act("Save draft", "save", () => api("PUT", path, {
        value: input.value, comment: comment.value || null })),
      el("fieldset", {}, el("legend", { text: "Evidence" }),
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

async function reviewQueue() {
  const lists = await Promise.all(["submitted", "resubmitted"].map((s) =>
    api("GET", base() + "/answers?state=" + s)));
  const items = lists.flatMap((l) => l.answers);
  const sec = el("section", { id: "review" },
                 el("h2", { text: "Review queue (" + items.length + ")" }));
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
      el("p", { text: "State: " + a.state + (a.comment ? "; comment: " +
                                             a.comment : "") }),
      el("p", {}, el("label", { for: comment.id, text: "Comment " }), comment),
      decide("approve", "Approve"), " ", decide("return", "Return"), " ",
      showHistory, history));
  }
  return sec;
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
  if (role === "analyst") parts.push(await reviewQueue());
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
