// window.pyxl: the page's JavaScript entry, usable by tests and other pages too.
//
//   await window.pyxl.ready                                  // Python and pyxl loaded
//   const {report, workbook, name} = await window.pyxl.validate(fileOrArrayBuffer, {name, asOf})
//   const {summary, workbook, name} = await window.pyxl.rollup([file, ...], {asOf, onprogress})
//
// rollup's onprogress({done, total, name}) is called as each file is started and once when all are
// read (done === total); the same events reach window.pyxl.onprogress listeners as type "rollup-progress".
//
// report is the CLI's JSON report (pyxl validate --json), summary what pyxl rollup --json
// writes, workbook the checked (or summary) workbook's bytes as a Uint8Array. A file that
// cannot be used rejects with an Error whose message is in Chinese (err.rule, err.detail).
// Python runs in a worker; if it ever breaks (out of memory, a WebAssembly trap) a fresh one is
// started, the request that met it rejects with err.restarted = true, and the next one works.

const listeners = new Set();
let worker = null;
let readyPromise = null;
let sequence = 0;
const pending = new Map();
const rollupWatchers = new Map();  // request id → onprogress
let restarts = 0;

function emit(event) { for (const fn of listeners) { try { fn(event); } catch (e) { console.error(e); } } }

function spawn() {
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  let resolveReady, rejectReady;
  let loaded = false;
  readyPromise = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
  readyPromise.catch(() => {});
  worker.onmessage = (event) => {
    const msg = event.data;
    if (msg.type === "progress" || msg.type === "warmed") emit(msg);
    else if (msg.type === "rollup-progress") {
      emit(msg);
      const watch = rollupWatchers.get(msg.id);
      if (watch) { try { watch({ done: msg.done, total: msg.total, name: msg.name }); } catch (e) { console.error(e); } }
    }
    else if (msg.type === "ready") { loaded = true; emit({ ...msg, restarts }); resolveReady(msg); }
    else if (msg.type === "failed") { emit(msg); rejectReady(new Error(msg.text)); }
    else if (msg.type === "answer" && msg.fatal) {
      restart();  // answers this request (and any other pending) as "restarted"
    } else if (msg.type === "answer") {
      const job = pending.get(msg.id);
      pending.delete(msg.id);
      if (job) job(msg.answer);
    }
  };
  worker.onerror = (event) => {
    emit({ type: "failed", text: `Python 运行环境出错：${event.message || "未知错误"}` });
    rejectReady(new Error(event.message || "worker error"));
    if (loaded) restart();  // a runtime that never loaded would fail again: reported, not retried
  };
}

function restart() {
  const old = worker;
  restarts += 1;
  for (const [id, job] of pending) {
    job({ ok: false, rule: "file-unreadable", restarted: true,
      message: "Python 运行环境意外中止（浏览器内存不足或内部错误），已自动重新启动；该文件未处理完，请再试一次",
      detail: "worker restarted" });
    pending.delete(id);
  }
  spawn();
  old.terminate();
  emit({ type: "restarted", restarts });
}

function call(op, args, transfer = [], id = ++sequence) {
  return readyPromise.then(() => new Promise((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ id, op, args }, transfer);
  }));
}

function failure(answer) {
  const err = new Error(answer.message || "无法处理该文件");
  err.rule = answer.rule;
  err.detail = answer.detail;
  err.answer = answer;
  err.restarted = Boolean(answer.restarted);
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
  const id = ++sequence;
  if (options.onprogress) rollupWatchers.set(id, options.onprogress);
  let answer;
  try {
    answer = await call("rollup", { files, asOf: options.asOf || null }, files.map((f) => f.bytes.buffer), id);
  } finally {
    rollupWatchers.delete(id);
  }
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
  get restarts() { return restarts; },
  // for tests: the next validate or rollup meets a fatal WebAssembly error (see worker.js)
  test: { crashNext() { return call("crashNext", {}); } },
};
