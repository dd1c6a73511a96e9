// window.pyxl: the page's JavaScript entry, usable by tests and other pages too.
//
//   await window.pyxl.ready                                  // Python and pyxl loaded
//   const {report, workbook, name} = await window.pyxl.validate(fileOrArrayBuffer, {name, asOf})
//   const {summary, workbook, name} = await window.pyxl.rollup([file, ...], {asOf})
//
// report is the CLI's JSON report (pyxl validate --json), summary what pyxl rollup --json
// writes, workbook the checked (or summary) workbook's bytes as a Uint8Array. A file that
// cannot be used rejects with an Error whose message is in Chinese (err.rule, err.detail).
// Python runs in a worker; if it ever breaks (out of memory) a fresh one is started.

const listeners = new Set();
let worker = null;
let readyPromise = null;
let sequence = 0;
const pending = new Map();

function emit(event) { for (const fn of listeners) { try { fn(event); } catch (e) { console.error(e); } } }

function spawn() {
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  let resolveReady, rejectReady;
  readyPromise = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
  readyPromise.catch(() => {});
  worker.onmessage = (event) => {
    const msg = event.data;
    if (msg.type === "progress") emit(msg);
    else if (msg.type === "ready") { emit(msg); resolveReady(msg); }
    else if (msg.type === "failed") { emit(msg); rejectReady(new Error(msg.text)); }
    else if (msg.type === "answer") {
      const job = pending.get(msg.id);
      pending.delete(msg.id);
      if (job) job(msg.answer);
      if (msg.fatal) restart();
    }
  };
  worker.onerror = (event) => {
    emit({ type: "failed", text: `Python 运行环境出错：${event.message || "未知错误"}` });
    rejectReady(new Error(event.message || "worker error"));
    restart();
  };
}

function restart() {
  const old = worker;
  for (const [id, job] of pending) {
    job({ ok: false, rule: "file-unreadable", message: "Python 运行环境意外中止，已重新启动；请再试一次", detail: "worker restarted" });
    pending.delete(id);
  }
  spawn();
  old.terminate();
  emit({ type: "restarted" });
}

function call(op, args, transfer = []) {
  return readyPromise.then(() => new Promise((resolve) => {
    const id = ++sequence;
    pending.set(id, resolve);
    worker.postMessage({ id, op, args }, transfer);
  }));
}

function failure(answer) {
  const err = new Error(answer.message || "无法处理该文件");
  err.rule = answer.rule;
  err.detail = answer.detail;
  err.answer = answer;
  return err;
}

async function bytesOf(input) {
  if (input instanceof Blob) return new Uint8Array(await input.arrayBuffer());
  if (input instanceof ArrayBuffer) return new Uint8Array(input.slice(0));
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength));
  throw new TypeError("pyxl: expected a File, Blob, ArrayBuffer or Uint8Array");
}

async function validate(input, options = {}) {
  const bytes = await bytesOf(input);
  const name = options.name || input.name || "工作簿.xlsx";
  const answer = await call("validate", { bytes, name, asOf: options.asOf || null }, [bytes.buffer]);
  if (!answer.ok) throw failure(answer);
  return { report: answer.report, workbook: answer.workbook, name: answer.name, exitCode: answer.exit_code };
}

async function rollup(inputs, options = {}) {
  const files = [];
  for (const [i, input] of [...inputs].entries()) {
    // a File/Blob, raw bytes, or {name, bytes} (a Blob has a bytes() method of its own: not that)
    const item = input instanceof Blob || input instanceof ArrayBuffer || ArrayBuffer.isView(input)
      ? { name: input.name || `工作簿${i + 1}.xlsx`, bytes: input } : input;
    files.push({ name: item.name, bytes: await bytesOf(item.bytes) });
  }
  const answer = await call("rollup", { files, asOf: options.asOf || null }, files.map((f) => f.bytes.buffer));
  if (!answer.ok) throw failure(answer);
  return { summary: answer.summary, workbook: answer.workbook, name: answer.name, exitCode: answer.exit_code };
}

spawn();

window.pyxl = {
  get ready() { return readyPromise; },
  validate,
  rollup,
  onprogress(fn) { listeners.add(fn); return () => listeners.delete(fn); },
  // for tests and benchmarks: run Python in the page's interpreter
  python(code) { return call("python", { code }).then((a) => a.value); },
};
