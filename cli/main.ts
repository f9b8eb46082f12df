#!/usr/bin/env node
// transformer-labs: the command line for instructors. Same engine as the extension.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CheckEngine } from '../core/checks/engine';
import { findBuildPaths } from '../core/compute/paths';
import { SidecarClient } from '../core/compute/sidecarClient';
import { describeContainment } from '../core/compute/containmentText';
import { gradeLab, formatGradeReport, writeGradeReport } from '../core/grading/gradeReport';
import { findLab, hasSolution, loadLabs } from '../core/labs/labLoader';
import { hintsOf, readHintsOpened, recordHintOpened } from '../core/labs/hintsOpened';
import { findLabWorkspace, scaffoldLab } from '../core/labs/scaffold';
import { describeReuse, planReuse, type ReuseDecision } from '../core/labs/reusePlan';
import type { BackendPreference } from '../core/protocol/sidecar';

const USAGE = `Usage: transformer-labs <command>

  list                           the labs, with their checks and points
  new <lab> <dir> [--solution]   create a lab folder (lab by id or number);
                                 --solution copies the reference solution (source checkout only)
  grade <dir> [--json]           run every check (hidden ones too), print the report and
                                 write <dir>/grade-report.json; exit 0 whenever grading ran
  hint <dir> <function>          show the hints of <function> opened so far and open the
                                 next one (the grade report records how many were opened)

Options: --backend auto|gpu|node|wasm|cpu   --time-limit <ms>   --memory-limit <MB>
         --help   --version`;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(i, 2);
  return v;
}

function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  const paths = findBuildPaths(__dirname);
  const version = (JSON.parse(readFileSync(join(paths.packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  if (flag(args, '--version')) {
    console.log(version);
    return 0;
  }
  if (flag(args, '--help') || args.length === 0) {
    console.log(USAGE);
    return args.length === 0 && argv.length === 0 ? 2 : 0;
  }
  const backend = (option(args, '--backend') ?? 'auto') as BackendPreference;
  if (!['auto', 'gpu', 'node', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend must be auto, gpu, node, wasm or cpu`);
  const timeoutMs = Number(option(args, '--time-limit') ?? 10000);
  const memoryMb = Number(option(args, '--memory-limit') ?? 512);
  const json = flag(args, '--json');
  const withSolution = flag(args, '--solution');
  const [command, ...rest] = args;
  const { labs, errors } = loadLabs(paths.labsRoot, { compiledChecksDir: paths.labsDist });
  const sidecar = () =>
    new SidecarClient({
      // The sidecar contains the process that runs the submission (sidecar/runner/containment.ts).
      nodePath: process.execPath,
      sidecarScript: paths.sidecarScript,
      labsDist: paths.labsDist,
      backend,
      log: (level, message) => {
        if (level !== 'info') console.error(`[sidecar] ${message}`);
      },
    });
  for (const e of errors) console.error(`warning: ${e.message}`);

  switch (command) {
    case 'list': {
      if (json) {
        console.log(JSON.stringify(labs.map((l) => ({ ...l.manifest, hasSolution: hasSolution(l) })), null, 2));
        return 0;
      }
      for (const l of labs) {
        const m = l.manifest;
        const points = m.checks.reduce((s, c) => s + c.points, 0);
        const hidden = m.checks.filter((c) => c.hidden).length;
        console.log(`${m.id}  ${m.title}  (v${m.version}, ${m.checks.length} checks, ${hidden} hidden, ${points} points)`);
        console.log(`    ${m.summary}`);
      }
      return 0;
    }
    case 'new': {
      const [key, dir] = rest;
      if (!key || !dir) throw new UsageError('new needs <lab> and <dir>');
      const lab = findLab(labs, key);
      if (!lab) throw new UsageError(`no lab "${key}"; known: ${labs.map((l) => l.manifest.id).join(', ')}`);
      // Files built on an earlier lab take the learner's code only if it passes that lab's checks.
      let reuse: ReuseDecision[] = [];
      if (!withSolution && lab.manifest.files.some((f) => f.reuseFrom)) {
        const client = sidecar();
        try {
          reuse = await planReuse(lab, { labs, roots: [dirname(resolve(dir))], checks: new CheckEngine(client, () => ({ timeoutMs, memoryMb })) });
        } finally {
          await client.dispose();
        }
      }
      const result = scaffoldLab(lab, resolve(dir), { withSolution, typesDir: join(paths.buildRoot, 'types'), reuse });
      console.log(`created ${lab.manifest.id} in ${result.dir}${withSolution ? ' (with the reference solution)' : ''}`);
      for (const k of result.kept) console.log(`kept your existing ${k}`);
      for (const d of reuse) if (!result.kept.includes(d.path)) console.log(describeReuse(d));
      return 0;
    }
    case 'grade': {
      const [dir] = rest;
      if (!dir) throw new UsageError('grade needs <dir>');
      const ws = resolve(dir);
      const marker = findLabWorkspace(ws);
      if (!marker) throw new UsageError(`${ws} is not a lab folder (no .transformer-labs/lab.json); create one with "transformer-labs new"`);
      const lab = findLab(labs, marker.labId);
      if (!lab) throw new UsageError(`${ws} holds lab "${marker.labId}", which this version of Transformer Labs does not have`);
      const client = sidecar();
      try {
        const engine = new CheckEngine(client, () => ({ timeoutMs, memoryMb }));
        const report = await gradeLab(engine, lab, ws, {
          extensionVersion: version,
          typeCheck: async (files) => (await client.typeCheck({ files })).typeErrors,
        });
        const file = writeGradeReport(report, ws);
        console.log(json ? JSON.stringify(report, null, 2) : `${formatGradeReport(report)}\n\nwrote ${file}`);
        // What contained the submission, on stderr so that --json output stays one document.
        const containment = client.state.kind === 'ready' ? client.state.info.backend.containment : undefined;
        if (containment) {
          console.error(['containment of the submission:', ...describeContainment(containment).map((l) => `  ${l.holds ? '✓' : '!'} ${l.text}`)].join('\n'));
        }
        return 0;
      } finally {
        await client.dispose();
      }
    }
    case 'hint': {
      const [dir, fn] = rest;
      if (!dir || !fn) throw new UsageError('hint needs <dir> and <function>');
      const ws = resolve(dir);
      const marker = findLabWorkspace(ws);
      if (!marker) throw new UsageError(`${ws} is not a lab folder (no .transformer-labs/lab.json)`);
      const lab = findLab(labs, marker.labId);
      if (!lab) throw new UsageError(`${ws} holds lab "${marker.labId}", which this version of Transformer Labs does not have`);
      const functions = lab.manifest.files.flatMap((f) => f.functions);
      if (!functions.includes(fn)) throw new UsageError(`${lab.manifest.id} has no function "${fn}"; its functions: ${functions.join(', ')}`);
      const { shown, next } = hintsOf(lab.manifest, readHintsOpened(ws), fn);
      if (!next && shown.length === 0) {
        console.log(`${fn} has no hints`);
        return 0;
      }
      for (const h of shown) console.log(`hint ${h.index} of ${h.total}: ${h.text}`);
      if (next) {
        recordHintOpened(ws, fn, next.index);
        console.log(`hint ${next.index} of ${next.total}: ${next.text}`);
      } else console.log(`(all ${shown.length} hints of ${fn} are open)`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`transformer-labs: ${err.message}`);
    if (err instanceof UsageError) console.error(`\n${USAGE}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
