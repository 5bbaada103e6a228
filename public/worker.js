// A Web Worker running the page's own wasm module (src/ui/worker.rs): the page first sends the
// glue's URL and the compiled module, then jobs [id, link]; each answer is [id, floats, reason]
// (the floats transferred), or [id] when the module could not run here. `runs` counts the jobs
// run (the browser tests read it).
let wasm;
onmessage = async ({ data: [id, job] }) => {
  if (job instanceof WebAssembly.Module) {
    wasm = import(id).then((m) => m.default({ module_or_path: job }).then(() => m));
    return;
  }
  try {
    const [floats, reason] = (await wasm).run_job(job);
    self.runs = (self.runs ?? 0) + 1;
    postMessage([id, floats, reason], floats ? [floats.buffer] : []);
  } catch {
    postMessage([id]);
  }
};
