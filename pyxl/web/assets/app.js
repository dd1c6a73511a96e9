// The page: choose or drop workbooks, validate each through window.pyxl, show the findings,
// download checked workbooks, 汇总 over the chosen files. Everything stays in this browser.
const $ = (sel) => document.querySelector(sel);
const LEVELS = { error: "错误", warning: "警告", info: "提示" };
const RANK = { error: 0, warning: 1, info: 2 };
const files = [];           // {id, name, bytes, status, report, workbook, outName, error, include}
let nextId = 1;
let queue = Promise.resolve();
let rolling = false;        // 汇总 running: no re-validating under it
const view = { sort: { key: "level", dir: 1 }, levels: new Set(Object.keys(LEVELS)), file: "", text: "" };

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}

function download(bytes, name) {
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function setStatus(text, state) {
  $("#status-text").textContent = text;
  $("#status").className = `status ${state}`;
}

// ---------------------------------------------------------------- loading

window.pyxl.onprogress((msg) => {
  if (msg.type === "progress") setStatus(msg.text, "loading");
  else if (msg.type === "failed") setStatus(`无法加载 Python 运行环境：${msg.text}`, "failed");
  else if (msg.type === "restarted") setStatus("Python 运行环境意外中止，正在自动重新启动；已选的文件和结果都还在…", "loading");
  else if (msg.type === "ready" && msg.restarts) {
    setStatus(`已就绪：Python 运行环境曾意外中止并已自动重新启动（${msg.restarts} 次），已选的文件和校验结果都还在。`, "ready");
  } else if (msg.type === "ready") {
    setStatus(`已就绪（加载用时 ${(msg.ms / 1000).toFixed(1)} 秒）。选择或拖入工作簿即可校验。`, "ready");
    $("#version").textContent = msg.version;
  }
});

fetch("manifest.json").then((r) => r.json()).then((m) => {
  for (const key of ["template", "example"]) {
    const a = $(`#${key}`);
    a.href = m.samples[key].url;
    a.download = m.samples[key].name;
  }
});

// ---------------------------------------------------------------- choosing files

function addFiles(list) {
  const added = [];
  for (const file of list) {
    const entry = { id: nextId++, name: file.name, file, status: "waiting", include: true };
    files.push(entry);
    added.push(entry);
  }
  for (const entry of added) enqueue(entry);
  renderFiles();
}

$("#files").addEventListener("change", (e) => { addFiles([...e.target.files]); e.target.value = ""; });
const drop = $("#drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); addFiles([...e.dataTransfer.files]); });
drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") $("#files").click(); });

// ---------------------------------------------------------------- validating

function enqueue(entry) {
  entry.status = "waiting";
  queue = queue.then(() => validateOne(entry));
  updateOverall();
}

async function validateOne(entry) {
  entry.status = "working";
  entry.error = null;
  renderFiles();
  updateOverall();
  try {
    const { report, workbook, name } = await window.pyxl.validate(entry.file, { name: entry.name, asOf: asOf() });
    Object.assign(entry, { status: "done", report, workbook, outName: name });
  } catch (err) {
    if (err.restarted && !entry.retried) {
      // the runtime broke under this file and has been restarted: the file is still here, try once more
      entry.retried = true;
      entry.note = "Python 运行环境曾意外中止，已自动重试";
      return validateOne(entry);
    }
    Object.assign(entry, { status: "failed", report: null, workbook: null, error: err.message, detail: err.detail });
  }
  renderFiles();
  renderFindings();
  updateOverall();
}

function updateOverall() {
  const total = files.length;
  const finished = files.filter((f) => f.status === "done" || f.status === "failed").length;
  const busy = files.some((f) => f.status === "working" || f.status === "waiting");
  $("#overall").hidden = total === 0;
  $("#overall-bar").max = Math.max(total, 1);
  $("#overall-bar").value = finished;
  const working = files.find((f) => f.status === "working");
  $("#overall-text").textContent = busy ? `正在校验 ${finished + 1}/${total}：${working ? working.name : ""}` : `已校验 ${total} 个文件`;
  $("#revalidate").disabled = busy || rolling || total === 0;
  $("#rollup").disabled = busy || rolling || !files.some((f) => f.include && f.status === "done");
}

$("#revalidate").addEventListener("click", () => { for (const f of files) enqueue(f); renderFiles(); });

// ---------------------------------------------------------------- 评估日期
// A text field that always shows YYYY-MM-DD: <input type=date> shows the browser's locale
// (10/31/2026 in an American browser, 31/10/2026 in a British one), which is ambiguous. The
// calendar button opens the browser's own date picker; what it picks is written back as ISO.

const dateField = $("#as-of");
const datePicker = $("#as-of-picker");
const pad = (n, w = 2) => String(n).padStart(w, "0");

function isoDate(text) {
  const t = text.trim().replace(/[年月.\/]/g, "-").replace(/日$/, "").replace(/\s+/g, "");
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t) || /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
}

// what validate and 汇总 get: the ISO date, nothing when empty, and the text as typed when it is
// no date (pyxl then explains, in Chinese, how to write it)
function asOf() {
  const text = dateField.value.trim();
  return text ? (isoDate(text) || text) : null;
}

let appliedDate = "";  // the date the listed files were validated with

function dateChanged() {
  const text = dateField.value.trim();
  const iso = text ? isoDate(text) : "";
  const bad = iso === null;
  if (!bad) dateField.value = iso;
  dateField.classList.toggle("invalid", bad);
  dateField.setAttribute("aria-invalid", String(bad));
  $("#as-of-error").hidden = !bad;
  if (bad) return;
  datePicker.value = iso;
  if (iso === appliedDate) return;
  appliedDate = iso;
  if (files.length) { for (const f of files) enqueue(f); renderFiles(); }
}

dateField.addEventListener("change", dateChanged);
datePicker.addEventListener("change", () => { dateField.value = datePicker.value; dateChanged(); });
$("#as-of-calendar").addEventListener("click", () => {
  datePicker.value = isoDate(dateField.value) || "";
  try { datePicker.showPicker(); } catch { datePicker.focus(); datePicker.click(); }
});

function renderFiles() {
  $("#files-panel").hidden = files.length === 0;
  const body = $("#file-table tbody");
  body.replaceChildren();
  for (const f of files) {
    const include = el("input", { type: "checkbox", checked: f.include, title: "纳入汇总" });
    include.addEventListener("change", () => { f.include = include.checked; updateOverall(); });
    let state;
    if (f.status === "waiting") state = el("td", {}, "等待校验");
    else if (f.status === "working") state = el("td", { className: "working" }, el("progress"), " 正在校验…");
    else if (f.status === "failed") state = el("td", { className: "state-failed", title: f.detail || "" }, `无法使用：${f.error}`);
    else state = el("td", {}, f.report.counts.error ? "有错误，请修改" : "通过（无错误）");
    if (f.note) state.append(el("div", { className: "note" }, f.note));
    const c = f.report ? f.report.counts : {};
    const action = el("td");
    if (f.workbook) {
      const b = el("button", { type: "button", title: "下载带标记和批注的工作簿" }, "下载校验后的工作簿");
      b.dataset.file = f.name;
      b.addEventListener("click", () => download(f.workbook, f.outName));
      action.append(b);
    }
    const remove = el("button", { type: "button", className: "secondary", title: "从列表中移除" }, "移除");
    remove.addEventListener("click", () => { files.splice(files.indexOf(f), 1); renderFiles(); renderFindings(); updateOverall(); });
    if (f.status === "done" || f.status === "failed") action.append(" ", remove);
    const row = el("tr", {}, el("td", {}, include), el("td", {}, f.name), state,
      el("td", { className: "num" }, c.error ?? ""), el("td", { className: "num" }, c.warning ?? ""),
      el("td", { className: "num" }, c.info ?? ""), action);
    row.dataset.status = f.status;
    body.append(row);
  }
}

// ---------------------------------------------------------------- findings

function allFindings() {
  const rows = [];
  for (const f of files) {
    if (!f.report) continue;
    for (const x of f.report.findings) {
      const where = x.cell ? `${x.sheet}!${x.cell}` : (x.sheet || "");
      rows.push({ file: f.name, level: x.severity, rule: x.rule, where, project: x.project || "", message: x.message, hint: x.hint || "" });
    }
  }
  return rows;
}

function compare(a, b) {
  const k = view.sort.key;
  const va = k === "level" ? RANK[a.level] : a[k];
  const vb = k === "level" ? RANK[b.level] : b[k];
  if (va < vb) return -view.sort.dir;
  if (va > vb) return view.sort.dir;
  return RANK[a.level] - RANK[b.level] || a.where.localeCompare(b.where, "zh-CN", { numeric: true });
}

function renderFindings() {
  const rows = allFindings();
  $("#findings-panel").hidden = !files.some((f) => f.report);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const r of rows) counts[r.level]++;
  const chips = $("#level-chips");
  chips.replaceChildren();
  for (const [level, label] of Object.entries(LEVELS)) {
    const box = el("input", { type: "checkbox", checked: view.levels.has(level) });
    box.addEventListener("change", () => { box.checked ? view.levels.add(level) : view.levels.delete(level); renderFindings(); });
    const chip = el("label", { className: level }, box, ` ${label} `, el("b", { className: `count-${level}` }, String(counts[level])));
    chips.append(chip);
  }
  const select = $("#file-filter");
  const names = [...new Set(files.filter((f) => f.report).map((f) => f.name))];
  select.replaceChildren(el("option", { value: "" }, "全部文件"), ...names.map((n) => el("option", { value: n, selected: n === view.file }, n)));
  const text = view.text.trim().toLowerCase();
  const shown = rows.filter((r) => view.levels.has(r.level) && (!view.file || r.file === view.file)
    && (!text || [r.rule, r.where, r.project, r.message, r.hint, r.file].some((v) => v.toLowerCase().includes(text))));
  shown.sort(compare);
  const body = $("#findings tbody");
  body.replaceChildren(...shown.map((r) => el("tr", {},
    el("td", {}, r.file), el("td", {}, el("span", { className: `level ${r.level}` }, LEVELS[r.level])),
    el("td", {}, el("code", {}, r.rule)), el("td", {}, r.where), el("td", {}, r.project),
    el("td", {}, r.message), el("td", {}, r.hint))));
  $("#shown").textContent = `显示 ${shown.length} / ${rows.length} 条`;
  for (const th of document.querySelectorAll("#findings th")) {
    th.className = th.dataset.key === view.sort.key ? (view.sort.dir > 0 ? "asc" : "desc") : "";
  }
}

for (const th of document.querySelectorAll("#findings th")) {
  th.addEventListener("click", () => {
    view.sort = { key: th.dataset.key, dir: view.sort.key === th.dataset.key ? -view.sort.dir : 1 };
    renderFindings();
  });
}
$("#file-filter").addEventListener("change", (e) => { view.file = e.target.value; renderFindings(); });
$("#search").addEventListener("input", (e) => { view.text = e.target.value; renderFindings(); });

// ---------------------------------------------------------------- 汇总

$("#rollup").addEventListener("click", async () => {
  const chosen = files.filter((f) => f.include && f.status === "done");
  const out = $("#rollup-result");
  out.hidden = false;
  out.className = "result working";
  const bar = el("progress", { id: "rollup-bar", max: chosen.length, value: 0 });
  const text = el("span", { id: "rollup-text" }, ` 正在汇总 ${chosen.length} 个文件…`);
  out.replaceChildren(bar, text);
  rolling = true;
  updateOverall();
  // the bar advances as each file is read; the summary workbook is written after the last
  const onprogress = ({ done, total, name }) => {
    bar.max = total;
    bar.value = done;
    text.textContent = done < total ? ` 正在汇总 ${done + 1}/${total}：${name}` : ` 已读完 ${total} 个文件，正在生成汇总工作簿…`;
  };
  try {
    const { summary, workbook } = await window.pyxl.rollup(chosen.map((f) => f.file), { asOf: asOf(), onprogress });
    const t = summary.totals;
    const b = el("button", { type: "button", id: "download-summary" }, "下载汇总工作簿");
    b.addEventListener("click", () => download(workbook, "汇总.xlsx"));
    const failed = summary.files.failed.length ? `，${summary.files.failed.length} 个文件无法读取` : "";
    out.className = "result";
    out.replaceChildren(`汇总完成：${summary.files.read} 个文件，${summary.departments.length} 个部门，项目 ${t.projects ?? ""} 个${failed}。 `, b);
  } catch (err) {
    out.className = "result failed";
    out.textContent = `无法汇总：${err.message}`;
  }
  rolling = false;
  updateOverall();
});
