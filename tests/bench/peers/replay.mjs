#!/usr/bin/env node
// Replays weft's editing traces (tests/data/traces/*.trace.gz, format in
// tests/data/traces/FORMAT.md) in peer CRDT libraries — Yjs, Loro and
// Automerge — and prints one line per trace and library in the format of
// weft's own trace-bench plus a `lib=` field:
//
//   lib=LIB trace=NAME ops=N final_cp=N apply_ms=X merge_ms=X encode_ms=X
//       state_bytes=N mem_kb=N gap_ms=- [state_v2_bytes=N  (Yjs only)]
//
// Usage: node replay.mjs [--runs N] [--libs yjs,loro,automerge] TRACE...
//        (TRACE: NAME.trace.gz, or NAME.ctrace.gz for a concurrent one)
//        (REPLAY_DEBUG=1 prints each run's memory figures on stderr)
//
// Every (trace, library) pair is measured in a fresh child process
// (`node --expose-gc replay.mjs --child ...`), so one library's heap, JIT
// state and WASM linear memory do not affect another's figures, and the
// WASM memory growth of a document can be seen at all (a WASM memory never
// shrinks). Inside the child every run builds fresh documents; times are
// medians over the runs (performance.now()).
//
// What is measured (per run):
//   apply  — all ops of the trace as local edits on a fresh document, one
//            library transaction per trace transaction (`T k` groups k ops;
//            an op without a T line is its own transaction):
//              Yjs:       Y.Doc.transact() around text.delete()/insert()
//                         (a single delete-only or insert-only op is called
//                         directly: Yjs wraps it in a transaction itself);
//              Loro:      LoroText.delete()/insert(), then LoroDoc.commit();
//              Automerge: one Automerge.change() with Automerge.splice().
//   merge  — the encoded full state applied as one update to an empty
//            replica, then the replica's text read back (it is compared
//            with the expected final text; reading it also makes Loro,
//            which decodes snapshots lazily, pay for decoding the text
//            state — its history stays undecoded until needed):
//              Yjs:       Y.applyUpdate(new Y.Doc(), update)
//              Loro:      new LoroDoc().import(snapshot)
//              Automerge: Automerge.load(bytes)
//   encode — the full state encoded once; state_bytes is its size:
//              Yjs:       Y.encodeStateAsUpdate(doc) (update format v1);
//                         state_v2_bytes = Y.encodeStateAsUpdateV2(doc)
//                         size (not timed);
//              Loro:      doc.export({ mode: "snapshot" });
//              Automerge: Automerge.save(doc).
//   mem    — memory held by the document after the replay, in KiB:
//            JS heap:  process.memoryUsage().heapUsed after forced full
//                      GCs (global.gc(), needs --expose-gc) with the
//                      document alive, minus the same figure just before
//                      the document was created (median over the runs;
//                      the first run also counts the JIT code the replay
//                      compiles, a few hundred KiB for Yjs);
//            WASM:     Loro and Automerge keep their documents in WASM
//                      linear memory, which the JS heap figure does not
//                      include. The WebAssembly.Memory objects of the
//                      libraries are captured when their modules are
//                      instantiated (hook on WebAssembly.Instance /
//                      instantiate below), and the growth of their
//                      buffer.byteLength from before the first document is
//                      created to after the first run's replay is added.
//                      Linear memory only grows, in 64 KiB pages, so this
//                      is the high-water mark of the replay (live document
//                      + allocator slack + transient peaks), an upper bound
//                      of the document's live size. Only the first run of a
//                      fresh process can show it, hence one value, not a
//                      median. Yjs is pure JS: its WASM part is 0. (V8 also
//                      counts these buffers in memoryUsage().external, which
//                      moved by the same amounts when this was checked.)
//   gap_ms is weft-specific and printed as `-`.
//
// Positions: the traces give positions and lengths in Unicode code points.
// All three libraries index text in UTF-16 code units in their JS APIs
// (checked for these versions: Yjs Y.Text insert/delete; Automerge
// splice() — "code units", JS strings; Loro LoroText.insert/delete are
// documented as "utf-16 index" — insertUtf8/deleteUtf8 take UTF-8 offsets
// and there is no code-point variant of insert/delete). The ops are
// therefore converted to UTF-16 once, before any timing, by tracking the
// code-point positions of the non-BMP characters (surrogate pairs) in the
// document: utf16 = cp + (number of non-BMP chars before it). The traces
// here contain no non-BMP characters, so the conversion is the identity
// for them, but it is exact for any trace.
//
// Concurrent traces (*.ctrace.gz, tests/data/traces/concurrent/FORMAT.md) are
// replayed as weft's trace-bench does (tests/common/creplay.h): one replica
// per agent; before each transaction its agent's replica receives the updates
// of every transaction in the txn's version it lacks (in trace order), then
// makes the txn's ops as one local transaction, whose update is kept:
//              Yjs:       the transaction's "update" event, Y.applyUpdate();
//              Loro:      commit(), its subscribeLocalUpdates() bytes,
//                         import();
//              Automerge: change(), getLastLocalChange(), applyChanges()
//                         (every replica starts from one shared empty doc).
// At the end every replica receives what it lacks and must hold the final
// text. apply_ms is the whole session; updates / exchanged_bytes count the
// updates made and the bytes of every delivery; merge / encode / state_bytes
// are those of the last txn's replica's full state; mem_kb is not measured
// (printed as -: the heap holds every replica at once). Every replica has the
// library's default random id (Yjs clientID, Loro peer id, Automerge actor),
// as weft's replicas have their agent ids, so updates carry realistic ids.
// Automerge's applyChanges() costs ~1 ms per delivery here, so a session
// takes minutes: Automerge sessions run once (runs=1 in the output).
//
// Exit status: non-zero if a trace cannot be parsed or any library's final
// text (after apply, and after merge) differs from <name>.final.txt.gz.

import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { basename } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const ALL_LIBS = ["yjs", "loro", "automerge"];

function die(msg) {
  process.stderr.write(`replay.mjs: ${msg}\n`);
  process.exit(1);
}

function usage() {
  process.stderr.write(
    "usage: node replay.mjs [--runs N] [--libs yjs,loro,automerge] TRACE...\n");
  process.exit(2);
}

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const o = { runs: 5, libs: ALL_LIBS.slice(), traces: [], child: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage();
      return argv[++i];
    };
    if (a === "--runs") {
      o.runs = Number(val());
      if (!Number.isInteger(o.runs) || o.runs < 1) die("--runs needs an integer >= 1");
    } else if (a.startsWith("--runs=")) {
      o.runs = Number(a.slice(7));
      if (!Number.isInteger(o.runs) || o.runs < 1) die("--runs needs an integer >= 1");
    } else if (a === "--libs" || a.startsWith("--libs=")) {
      const v = a === "--libs" ? val() : a.slice(7);
      o.libs = v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
      for (const l of o.libs) if (!ALL_LIBS.includes(l)) die(`unknown library '${l}' (known: ${ALL_LIBS.join(",")})`);
      if (o.libs.length === 0) die("--libs is empty");
    } else if (a === "--child") {
      o.child = val();
    } else if (a === "-h" || a === "--help") {
      usage();
    } else if (a.startsWith("-")) {
      die(`unknown option ${a}`);
    } else {
      o.traces.push(a);
    }
  }
  if (o.traces.length === 0) usage();
  return o;
}

// ------------------------------------------------------------- trace parsing

// %XX-unescape to UTF-8 bytes, then decode.
const utf8 = new TextDecoder("utf-8", { fatal: true });
function pctDecode(s) {
  if (s.indexOf("%") < 0) return s; // pure printable ASCII
  const bytes = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const h = parseInt(s.substr(i + 1, 2), 16);
      if (!/^[0-9A-Fa-f]{2}$/.test(s.substr(i + 1, 2))) throw new Error(`bad %-escape in '${s.slice(0, 40)}'`);
      bytes[n++] = h;
      i += 2;
    } else {
      bytes[n++] = c;
    }
  }
  return utf8.decode(bytes.subarray(0, n));
}

function cpLength(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--; // high surrogate: pair counts once
  }
  return n;
}

const ASTRAL_RE = /[\ud800-\udbff]/;

// Returns { name, ops, final } where ops is a flat list of transactions:
// txns = [[pos16, del16, ins], ...] per transaction (UTF-16 units), and
// final is the expected final text.
// The lines of a gzip'd trace file.
function gzipLines(path) {
  try {
    return gunzipSync(readFileSync(path)).toString("latin1").split("\n");
  } catch (e) {
    die(`${path}: ${e.message}`);
  }
}

// The expected final text next to a trace whose name ends in suffix.
function finalText(path, suffix) {
  const finalPath = path.slice(0, -suffix.length) + ".final.txt.gz";
  try {
    return utf8.decode(gunzipSync(readFileSync(finalPath)));
  } catch (e) {
    die(`${finalPath}: ${e.message}`);
  }
}

function loadTrace(path) {
  if (!path.endsWith(".trace.gz")) die(`${path}: expected a *.trace.gz file`);
  const lines = gzipLines(path);
  let li = 0;
  const m0 = /^# weft-trace v1 (\S+)\s*$/.exec(lines[li++] || "");
  if (!m0) die(`${path}: line 1 is not '# weft-trace v1 <name>'`);
  const name = m0[1];
  while (li < lines.length && lines[li].startsWith("#")) li++;
  const hdr = /^ops (\d+) txns (\d+) start_chars (\d+) final_chars (\d+)/.exec(lines[li++] || "");
  if (!hdr) die(`${path}: missing 'ops ...' header line`);
  const nops = Number(hdr[1]);
  const finalChars = Number(hdr[4]);
  const startLine = lines[li++] || "";
  let start = "";
  {
    const f = startLine.split(" ");
    if (f[0] !== "start" || f.length < 2 || f.length > 3) die(`${path}: bad start line`);
    if (Number(f[1]) > 0) start = pctDecode(f[2] || "");
    if (cpLength(start) !== Number(f[1])) die(`${path}: start text length mismatch`);
  }

  // Non-BMP bookkeeping: sorted code-point positions of the non-BMP chars
  // currently in the document (empty for all traces shipped today).
  let astral = [];
  if (ASTRAL_RE.test(start)) {
    let cp = 0;
    for (const ch of start) {
      if (ch.length === 2) astral.push(cp);
      cp++;
    }
  }
  const to16 = (cp) => {
    if (astral.length === 0) return cp;
    let k = 0;
    while (k < astral.length && astral[k] < cp) k++;
    return cp + k;
  };

  let len = cpLength(start); // current document length in code points
  const txns = [];
  let count = 0;
  let pendingT = 0; // ops left in the current `T k` group
  let cur = null;
  let ended = false;
  for (; li < lines.length; li++) {
    const line = lines[li];
    if (line === "") continue;
    if (line === "end") { ended = true; break; }
    if (line.charCodeAt(0) === 84 /* T */ && line.charCodeAt(1) === 32) {
      if (pendingT > 0) die(`${path}:${li + 1}: T line inside a transaction`);
      pendingT = Number(line.slice(2));
      if (!Number.isInteger(pendingT) || pendingT < 2) die(`${path}:${li + 1}: bad T line`);
      cur = [];
      txns.push(cur);
      continue;
    }
    const f = line.split(" ");
    if (f.length < 2 || f.length > 3) die(`${path}:${li + 1}: bad op line`);
    const pos = Number(f[0]), del = Number(f[1]);
    if (!Number.isInteger(pos) || !Number.isInteger(del) || pos < 0 || del < 0 || pos + del > len)
      die(`${path}:${li + 1}: op out of range (pos ${f[0]} del ${f[1]}, length ${len})`);
    let ins = f.length === 3 ? pctDecode(f[2]) : "";
    const insCp = ins ? cpLength(ins) : 0;
    if (del === 0 && insCp === 0) die(`${path}:${li + 1}: empty op`);

    // code points -> UTF-16 code units, against the document before this op
    const pos16 = to16(pos);
    const del16 = del === 0 ? 0 : to16(pos + del) - pos16;
    if (astral.length) {
      // drop deleted non-BMP chars, shift the following ones
      astral = astral.filter((p) => p < pos || p >= pos + del)
        .map((p) => (p >= pos + del ? p - del + insCp : p));
    }
    if (insCp && ASTRAL_RE.test(ins)) {
      let cp = pos;
      for (const ch of ins) {
        if (ch.length === 2) astral.push(cp);
        cp++;
      }
      astral.sort((a, b) => a - b);
    }
    len += insCp - del;

    const op = [pos16, del16, ins];
    if (pendingT > 0) {
      cur.push(op);
      pendingT--;
    } else {
      txns.push([op]);
    }
    count++;
  }
  if (!ended) die(`${path}: missing 'end' line (truncated?)`);
  if (pendingT > 0) die(`${path}: last transaction is incomplete`);
  if (count !== nops) die(`${path}: header says ${nops} ops, found ${count}`);
  if (len !== finalChars) die(`${path}: header says final_chars ${finalChars}, replay gives ${len}`);

  const final = finalText(path, ".trace.gz");
  if (cpLength(final) !== finalChars) die(`${path}: the final text's length differs from the trace header`);
  return { name, nops, start, txns, final };
}

// A concurrent trace: { name, nops, concurrent: true, nagents, txns, final }
// with txns[i] = { agent, version, ops: [[pos16, del16, ins], ...] }, where
// version[a] = how many of agent a's txns txn i's version holds (itself
// included). Positions are code points; the traces are ASCII, and a non-BMP
// character (where code points and UTF-16 units differ) is refused.
function loadCTrace(path) {
  const lines = gzipLines(path);
  let li = 0;
  const m0 = /^# weft-ctrace v1 (\S+)\s*$/.exec(lines[li++] || "");
  if (!m0) die(`${path}: line 1 is not '# weft-ctrace v1 <name>'`);
  while (li < lines.length && lines[li].startsWith("#")) li++;
  const hdr = /^agents (\d+) txns (\d+) ops (\d+) final_chars (\d+)/.exec(lines[li++] || "");
  if (!hdr) die(`${path}: missing 'agents ...' header line`);
  const nagents = Number(hdr[1]), ntxns = Number(hdr[2]), nops = Number(hdr[3]);
  const txns = [], own = new Array(nagents).fill(0);
  let count = 0;
  for (; li < lines.length && lines[li] !== "end"; ) {
    const f = lines[li++].split(" ");
    if (f[0] !== "x" || Number(f[1]) !== txns.length) die(`${path}:${li}: bad txn line`);
    const agent = Number(f[2]), np = Number(f[3]), k = Number(f[4 + np]);
    if (!(agent >= 0 && agent < nagents)) die(`${path}:${li}: bad agent`);
    const version = new Array(nagents).fill(0);
    for (let j = 0; j < np; j++) {
      const p = Number(f[4 + j]);
      if (!(p >= 0 && p < txns.length)) die(`${path}:${li}: bad parent`);
      for (let a = 0; a < nagents; a++) version[a] = Math.max(version[a], txns[p].version[a]);
    }
    if (version[agent] !== own[agent]) die(`${path}:${li}: agent ${agent} branches from itself`);
    version[agent] = ++own[agent];
    const ops = [];
    for (let j = 0; j < k; j++) {
      const g = (lines[li++] || "").split(" ");
      const ins = g.length === 3 ? pctDecode(g[2]) : "";
      if (ASTRAL_RE.test(ins)) die(`${path}:${li}: non-BMP text (positions would need UTF-16 conversion)`);
      ops.push([Number(g[0]), Number(g[1]), ins]);
      count++;
    }
    txns.push({ agent, version, ops });
  }
  if (lines[li] !== "end") die(`${path}: missing 'end' line (truncated?)`);
  if (txns.length !== ntxns || count !== nops) die(`${path}: header says ${ntxns} txns / ${nops} ops`);
  return { name: m0[1], nops, concurrent: true, nagents, txns, final: finalText(path, ".ctrace.gz") };
}

function loadAny(path) {
  return path.endsWith(".ctrace.gz") ? loadCTrace(path) : loadTrace(path);
}

// ------------------------------------------------------------- WASM memories

// Capture every WebAssembly.Memory exported by modules instantiated from now
// on (Loro and Automerge instantiate theirs synchronously on import).
const wasmMemories = [];
function captureInstance(inst) {
  try {
    for (const v of Object.values(inst.exports)) {
      if (v instanceof WebAssembly.Memory && !wasmMemories.includes(v)) wasmMemories.push(v);
    }
  } catch { /* ignore */ }
  return inst;
}
function hookWasm() {
  const OrigInstance = WebAssembly.Instance;
  WebAssembly.Instance = new Proxy(OrigInstance, {
    construct(target, args, newTarget) {
      return captureInstance(Reflect.construct(target, args, newTarget));
    },
  });
  const origInstantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (...args) {
    const r = await origInstantiate.apply(this, args);
    captureInstance(r instanceof OrigInstance ? r : r.instance);
    return r;
  };
}
const wasmBytes = () => wasmMemories.reduce((s, m) => s + m.buffer.byteLength, 0);

// ------------------------------------------------------------------ libraries

// Each adapter: create() -> doc handle; apply(h, txns); text(h);
// encode(h) -> Uint8Array; merge(bytes) -> replica handle; free(h).
async function loadLib(lib) {
  if (lib === "yjs") {
    const Y = await import("yjs");
    return {
      create() {
        const doc = new Y.Doc();
        return { doc, text: doc.getText("text") };
      },
      init(h, start) { if (start) h.text.insert(0, start); },
      apply(h, txns) {
        const { doc, text } = h;
        for (let i = 0; i < txns.length; i++) {
          const t = txns[i];
          if (t.length === 1) {
            const op = t[0];
            if (op[1] === 0) text.insert(op[0], op[2]);
            else if (op[2] === "") text.delete(op[0], op[1]);
            else doc.transact(() => { text.delete(op[0], op[1]); text.insert(op[0], op[2]); });
          } else {
            doc.transact(() => {
              for (const op of t) {
                if (op[1]) text.delete(op[0], op[1]);
                if (op[2]) text.insert(op[0], op[2]);
              }
            });
          }
        }
      },
      text: (h) => h.text.toString(),
      encode: (h) => Y.encodeStateAsUpdate(h.doc),
      extra: (h) => ` state_v2_bytes=${Y.encodeStateAsUpdateV2(h.doc).length}`,
      merge(bytes) {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, bytes);
        return { doc, text: doc.getText("text") };
      },
      free: (h) => h.doc.destroy(),
      // concurrent sessions: a replica, one local txn -> its update, a remote update
      replica(a) {
        const doc = new Y.Doc();
        // Yjs orders some concurrent inserts differently from FugueMax (the traces'
        // final texts; CRDT.md §1.3), by client id: ids that grow with the agent index
        // give the trace's text (friendsforever differs otherwise), and ids of 31 bits
        // keep the varint size of Yjs's random ones.
        doc.clientID = 0x60000000 + a;
        const h = { doc, text: doc.getText("text"), last: null };
        doc.on("update", (u, origin) => { if (origin !== "remote") h.last = u; });
        return h;
      },
      local(h, ops) {
        h.last = null;
        h.doc.transact(() => {
          for (const op of ops) {
            if (op[1]) h.text.delete(op[0], op[1]);
            if (op[2]) h.text.insert(op[0], op[2]);
          }
        });
        return h.last;
      },
      remote(h, u) { Y.applyUpdate(h.doc, u, "remote"); },
    };
  }
  if (lib === "loro") {
    const { LoroDoc } = await import("loro-crdt");
    return {
      create() {
        const doc = new LoroDoc();
        return { doc, text: doc.getText("text") };
      },
      init(h, start) { if (start) { h.text.insert(0, start); h.doc.commit(); } },
      apply(h, txns) {
        const { doc, text } = h;
        for (let i = 0; i < txns.length; i++) {
          const t = txns[i];
          for (let j = 0; j < t.length; j++) {
            const op = t[j];
            if (op[1]) text.delete(op[0], op[1]);
            if (op[2]) text.insert(op[0], op[2]);
          }
          doc.commit();
        }
      },
      text: (h) => h.text.toString(),
      encode: (h) => h.doc.export({ mode: "snapshot" }),
      extra: () => "",
      merge(bytes) {
        const doc = new LoroDoc();
        doc.import(bytes);
        return { doc, text: doc.getText("text") };
      },
      free(h) { h.text.free?.(); h.doc.free(); },
      replica() {
        const doc = new LoroDoc();
        const h = { doc, text: doc.getText("text"), last: null };
        doc.subscribeLocalUpdates((u) => { h.last = u; }); // called by commit()
        return h;
      },
      local(h, ops) {
        h.last = null;
        for (const op of ops) {
          if (op[1]) h.text.delete(op[0], op[1]);
          if (op[2]) h.text.insert(op[0], op[2]);
        }
        h.doc.commit();
        return h.last;
      },
      remote(h, u) { h.doc.import(u); },
    };
  }
  if (lib === "automerge") {
    const A = await import("@automerge/automerge");
    const path = ["text"];
    return {
      create() {
        return { doc: A.from({ text: "" }) };
      },
      init(h, start) { if (start) h.doc = A.change(h.doc, (d) => A.splice(d, path, 0, 0, start)); },
      apply(h, txns) {
        let doc = h.doc;
        for (let i = 0; i < txns.length; i++) {
          const t = txns[i];
          doc = A.change(doc, (d) => {
            for (let j = 0; j < t.length; j++) {
              const op = t[j];
              A.splice(d, path, op[0], op[1], op[2] || undefined);
            }
          });
        }
        h.doc = doc;
      },
      text: (h) => h.doc.text,
      encode: (h) => A.save(h.doc),
      extra: () => "",
      merge(bytes) {
        return { doc: A.load(bytes) };
      },
      free: (h) => A.free(h.doc),
      replica: (a, base) => ({ doc: A.load(base) }), // a random actor each
      sessionBase: () => A.save(A.from({ text: "" }, { actor: "ff".repeat(16) })),
      local(h, ops) {
        if (ops.length === 0) return null;
        h.doc = A.change(h.doc, (d) => {
          for (const op of ops) A.splice(d, path, op[0], op[1], op[2] || undefined);
        });
        return A.getLastLocalChange(h.doc);
      },
      remote(h, u) { [h.doc] = A.applyChanges(h.doc, [u]); },
    };
  }
  throw new Error(`unknown lib ${lib}`);
}

// ------------------------------------------------------------------ measuring

function fullGc() {
  global.gc();
  global.gc();
}

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function checkText(lib, trace, what, got) {
  if (got === trace.final) return;
  let i = 0;
  while (i < got.length && i < trace.final.length && got[i] === trace.final[i]) i++;
  die(`${lib}: trace ${trace.name}: final text after ${what} differs from the expected ` +
      `final text (lengths ${got.length} vs ${trace.final.length} UTF-16 units, first ` +
      `difference at UTF-16 offset ${i})`);
}

// Encodes h's full state (timed into encodeMs) and loads it into a fresh
// replica, reading its text back (timed into mergeMs; the text is checked).
// Returns the encoded state.
function timeState(L, lib, trace, h, encodeMs, mergeMs) {
  fullGc();
  let t0 = performance.now();
  const state = L.encode(h);
  encodeMs.push(performance.now() - t0);
  fullGc();
  t0 = performance.now();
  const rep = L.merge(state);
  const repText = L.text(rep);
  mergeMs.push(performance.now() - t0);
  checkText(lib, trace, "merge", repText);
  L.free(rep);
  return state;
}

// One concurrent session (see the top of the file): returns the replicas, the
// updates made and the bytes delivered.
function session(L, trace) {
  const base = L.sessionBase ? L.sessionBase() : null;
  const n = trace.nagents;
  const reps = [], byAgent = [], have = [];
  for (let a = 0; a < n; a++) {
    reps.push(L.replica(a, base));
    byAgent.push([]);
    have.push(new Array(n).fill(0));
  }
  trace.txns.forEach((x, i) => byAgent[x.agent].push(i));
  const upd = new Array(trace.txns.length).fill(null);
  let updates = 0, bytes = 0;
  const deliver = (g, version) => {
    const batch = [];
    for (let a = 0; a < n; a++)
      for (; have[g][a] < version[a]; have[g][a]++) batch.push(byAgent[a][have[g][a]]);
    batch.sort((x, y) => x - y);
    for (const i of batch) {
      if (!upd[i]) continue;
      L.remote(reps[g], upd[i]);
      bytes += upd[i].length;
    }
  };
  trace.txns.forEach((x, i) => {
    deliver(x.agent, x.version);
    upd[i] = L.local(reps[x.agent], x.ops);
    if (upd[i]) updates++;
    have[x.agent][x.agent]++;
  });
  const all = trace.txns[trace.txns.length - 1].version;
  for (let g = 0; g < n; g++) deliver(g, all);
  return { reps, updates, bytes };
}

async function runSession(L, lib, trace, runs) {
  if (lib === "automerge") runs = 1;
  const applyMs = [], mergeMs = [], encodeMs = [];
  let stateBytes = 0, updates = 0, bytes = 0;
  const last = trace.txns[trace.txns.length - 1].agent;
  for (let r = 0; r < runs; r++) {
    fullGc();
    const t0 = performance.now();
    const s = session(L, trace);
    applyMs.push(performance.now() - t0);
    s.reps.forEach((h, g) => checkText(lib, trace, `the session (replica ${g})`, L.text(h)));
    ({ updates, bytes } = s);
    stateBytes = timeState(L, lib, trace, s.reps[last], encodeMs, mergeMs).length;
    s.reps.forEach((h) => L.free(h));
  }
  const ms = (x) => x.toFixed(2);
  process.stdout.write(
    `lib=${lib} trace=${trace.name} ops=${trace.nops} final_cp=${cpLength(trace.final)}` +
    ` apply_ms=${ms(median(applyMs))} merge_ms=${ms(median(mergeMs))}` +
    ` encode_ms=${ms(median(encodeMs))} state_bytes=${stateBytes}` +
    ` mem_kb=- gap_ms=- agents=${trace.nagents} updates=${updates} exchanged_bytes=${bytes}` +
    ` runs=${runs}\n`);
}

async function runChild(lib, tracePath, runs) {
  if (typeof global.gc !== "function") die("the child needs node --expose-gc");
  hookWasm();
  const L = await loadLib(lib);
  const trace = loadAny(tracePath);
  if (trace.concurrent) return runSession(L, lib, trace, runs);

  // warm up the library code paths a little (tiny doc), not the trace
  {
    const h = L.create();
    L.apply(h, [[[0, 0, "warm"]], [[1, 2, "xy"]]]);
    L.merge(L.encode(h));
    L.free(h);
  }

  const applyMs = [], mergeMs = [], encodeMs = [], heapKb = [];
  let wasmKb = 0, stateBytes = 0, extra = "";
  for (let r = 0; r < runs; r++) {
    fullGc();
    const heap0 = process.memoryUsage().heapUsed;
    const wasm0 = wasmBytes();

    let h = L.create();
    L.init(h, trace.start);
    const t0 = performance.now();
    L.apply(h, trace.txns);
    applyMs.push(performance.now() - t0);

    fullGc();
    const heap1 = process.memoryUsage().heapUsed;
    if (r === 0) wasmKb = (wasmBytes() - wasm0) / 1024;
    checkText(lib, trace, "apply", L.text(h));

    stateBytes = timeState(L, lib, trace, h, encodeMs, mergeMs).length;
    if (r === 0) extra = L.extra(h);

    L.free(h);
    h = null;
    // mem: heap after the replay minus heap before the document was
    // created (all references of the previous run are dropped above, so
    // they cannot hide in heap0). Run 0 also counts the JIT code and
    // feedback the replay created (a few hundred KiB); the median over
    // >= 3 runs does not.
    heapKb.push(Math.max(0, heap1 - heap0) / 1024);
    if (process.env.REPLAY_DEBUG)
      process.stderr.write(`debug: run ${r} heap1-heap0=${heap1 - heap0} wasm=${wasmBytes()} wasm_growth_run0=${wasmKb * 1024}\n`);
  }

  const ms = (x) => x.toFixed(2);
  const finalCp = cpLength(trace.final);
  process.stdout.write(
    `lib=${lib} trace=${trace.name} ops=${trace.nops} final_cp=${finalCp}` +
    ` apply_ms=${ms(median(applyMs))} merge_ms=${ms(median(mergeMs))}` +
    ` encode_ms=${ms(median(encodeMs))} state_bytes=${stateBytes}` +
    ` mem_kb=${Math.round(median(heapKb) + wasmKb)} gap_ms=-${extra}\n`);
}

// ------------------------------------------------------------------- main

const opts = parseArgs(process.argv.slice(2));
if (opts.child) {
  if (!ALL_LIBS.includes(opts.child) || opts.traces.length !== 1) usage();
  await runChild(opts.child, opts.traces[0], opts.runs);
} else {
  const self = fileURLToPath(import.meta.url);
  let failed = 0;
  for (const t of opts.traces) {
    loadAny(t); // a broken trace is reported (and exits) here, once
    for (const lib of opts.libs) {
      const r = spawnSync(process.execPath,
        ["--expose-gc", self, "--child", lib, "--runs", String(opts.runs), t],
        { stdio: ["ignore", "inherit", "inherit"] });
      if (r.status !== 0) {
        failed++;
        process.stderr.write(`replay.mjs: ${lib} on ${basename(t)} failed` +
          (r.signal ? ` (signal ${r.signal})` : ` (exit ${r.status})`) + "\n");
      }
    }
  }
  process.exit(failed ? 1 : 0);
}
