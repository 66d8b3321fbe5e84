// app.js - enhancements of the portal's pages, which work without it:
// tables that sort when a header is clicked (or Enter/Space on it), and
// the workspace log-in, which posts JSON to /api/v1/session.

function cellValue(row, col) {
  const text = row.cells[col] ? row.cells[col].textContent.trim() : "";
  const n = Number(text);
  return text !== "" && !Number.isNaN(n) ? n : text.toLowerCase();
}

function sortBy(table, col, th) {
  const body = table.tBodies[0];
  const asc = th.getAttribute("aria-sort") !== "ascending";
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = cellValue(a, col), y = cellValue(b, col);
    if (x === y) return 0;
    if (x === "") return 1;
    if (y === "") return -1;
    return (x < y ? -1 : 1) * (asc ? 1 : -1);
  });
  for (const other of table.tHead.rows[0].cells)
    other.setAttribute("aria-sort", "none");
  th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  for (const r of rows) body.appendChild(r);
}

for (const table of document.querySelectorAll("table.sortable")) {
  const head = table.tHead && table.tHead.rows[0];
  if (!head || !table.tBodies[0]) continue;
  Array.from(head.cells).forEach((th, col) => {
    th.setAttribute("aria-sort", "none");
    th.tabIndex = 0;
    th.addEventListener("click", () => sortBy(table, col, th));
    th.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        sortBy(table, col, th);
      }
    });
  });
}

const login = document.getElementById("login");
if (login) {
  login.addEventListener("submit", async (e) => {
    e.preventDefault();
    const status = document.getElementById("login-status");
    const body = JSON.stringify({
      name: login.elements.name.value,
      password: login.elements.password.value,
    });
    const r = await fetch("/api/v1/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
      credentials: "same-origin",
    });
    const j = await r.json();
    if (r.ok) {
      sessionStorage.setItem("csrf", j.csrf);
      status.textContent = "Logged in as " + j.user.name + " (" +
                           j.user.role + ").";
      location.assign("/workspace");
    } else {
      status.textContent = j.error ? j.error.message : "Log-in failed.";
    }
  });
}
