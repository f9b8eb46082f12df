// transformer-labs: the command line for instructors. Same engine as the extension. cli/main.ts runs
// it on the real process; the tests run it in theirs (cli/cliIo.ts).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CheckEngine } from '../core/checks/engine';
import { DEFAULT_LIMITS } from '../core/checks/timeLimits';
import { findBuildPaths } from '../core/compute/paths';
import { SidecarClient } from '../core/compute/sidecarClient';
import { describeContainment } from '../core/compute/containmentText';
import { gradeLab, writeGradeReport } from '../core/grading/gradeReport';
import { formatGradeReport } from '../core/grading/gradeReportText';
import { gradeAll } from './gradeAll';
import { writeClassroomResult } from './classroom';
import { formatValidation, validateStatic, validateWithSidecar } from '../core/labs/validateLab';
import { findLab, hasSolution, loadLabs, withLabPaths } from '../core/labs/labLoader';
import { writeNewLab } from '../core/labs/newLab';
import { hintsOf, readHintsOpened, recordHintOpened } from '../core/labs/hintsOpened';
import { findLabWorkspace, scaffoldLab } from '../core/labs/scaffold';
import { describeReuse, planReuse, type ReuseDecision } from '../core/labs/reusePlan';
import { BACKEND_PREFERENCES, type BackendPreference } from '../core/protocol/sidecar';
import { readCourse } from '../core/course/courseLayout';
import { readLabFiles } from '../core/checks/engine';
import { runProfile } from '../core/profiler/profileRun';
import { formatProfile } from '../core/profiler/profileText';
import { sidecarMeasure, timingBudget, PROFILE_VIEW } from '../core/profiler/sidecarMeasure';
import { DEFAULT_PROFILE_SETTINGS, PROFILE_TARGETS, type ProfileTarget } from '../core/protocol/views/profileView';
import { answerQuestion, readAnswers, summarize } from '../core/quiz/quizAnswers';
import { quizOf } from '../core/quiz/quizFile';
import type { Lab } from '../core/labs/manifest';
import { describeCopy, writeLearnerCopy } from '../core/labs/learnerCopy';
import type { CliIo } from './cliIo';

export const USAGE = `Usage: transformer-labs <command>

  list                           the labs, with their checks and points
  new <lab> <dir> [--solution]   create a lab folder (lab by id or number);
                                 --solution copies the reference solution (source checkout only)
  grade <dir> [--json] [--classroom]
                                 run every check (hidden ones too), print the report and
                                 write <dir>/grade-report.json; exit 0 whenever grading ran;
                                 --classroom also writes the result GitHub Classroom's grading
                                 reporter reads to $GITHUB_OUTPUT (docs/classroom.md)
  grade-all <submissions> [--lab <id>] [--jobs N] [--out grades.csv] [--resume]
                                 grade every subfolder or .zip of <submissions> (one learner
                                 each) on N sidecars (default: one per core); writes the CSV
                                 and, beside it, a JSON with every report; --resume keeps the
                                 rows of submissions whose files did not change
  new-lab <dir> [--id <id>]      write a minimal working lab (lab.json, INSTRUCTIONS.md, starter/,
                                 solution/, checks.ts, a view) into a new or empty <dir>, to
                                 rewrite into your own; use it with --labs <dir> or its parent
  validate <lab-dir>             check a lab folder: lab.json against the schema (file, field),
                                 its files and instructions, and through the sidecar every
                                 check id, the solution at full marks, the starter below;
                                 exit 1 when a problem is found
  export-lab <lab-dir> <out-dir> the lab as learners may have it, in a new or empty <out-dir>:
                                 without its hidden checks (ids, hints, code) and solution/;
                                 grade with the original <lab-dir>
  hint <dir> <function>          show the hints of <function> opened so far and open the
                                 next one (the grade report records how many were opened)

  quiz <dir> [<question> <answer>]
                                 list the lab's mastery questions with what was answered, or
                                 answer one (kept in <dir>/.transformer-labs/quiz.json; the grade
                                 report scores them as separate points)
  profile <dir> [--max-n N] [--targets a,b]
                                 time and peak tensor memory of your attention and
                                 multiHeadAttention (and the bonus chunkedAttention) for
                                 N = 16, 32, … up to --max-n (default 2048) or a cap; fits the
                                 growth exponent beside the reference's (a Lab 1 folder, or a
                                 course folder holding one)

Options: --backend auto|gpu|webgpu|node|wasm|cpu   --time-limit <ms>   --memory-limit <MB>
         --labs <dir>   extra labs without rebuilding: a lab folder or a folder of lab folders
                        (repeatable); their checks.ts is transpiled at run time and runs in the
                        same contained process as the built-in labs' checks
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

/** A whole number within the bounds the extension's settings allow; anything else is a usage error. */
function intOption(args: string[], name: string, fallback: number, min: number, max: number, unit: string): number {
  const v = option(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`${name} must be a whole number of ${unit} from ${min} to ${max}, not "${v}"`);
  return n;
}

/** Every value of an option that may be given more than once. */
function options(args: string[], name: string): string[] {
  const values: string[] = [];
  for (let v = option(args, name); v !== undefined; v = option(args, name)) values.push(v);
  return values;
}

function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

async function main(argv: string[], io: CliIo): Promise<number> {
  const args = [...argv];
  const paths = findBuildPaths(__dirname);
  const version = (JSON.parse(readFileSync(join(paths.packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  if (flag(args, '--version')) {
    io.out(version);
    return 0;
  }
  if (flag(args, '--help') || args.length === 0) {
    io.out(USAGE);
    // Nothing at all is a usage error; --help (with or without more) is not.
    return argv.length === 0 ? 2 : 0;
  }
  const backend = (option(args, '--backend') ?? 'auto') as BackendPreference;
  if (!BACKEND_PREFERENCES.includes(backend)) throw new UsageError(`--backend must be ${BACKEND_PREFERENCES.slice(0, -1).join(', ')} or ${BACKEND_PREFERENCES.at(-1)}`);
  const timeoutMs = intOption(args, '--time-limit', DEFAULT_LIMITS.timeoutMs, 200, 120000, 'ms');
  const memoryMb = intOption(args, '--memory-limit', DEFAULT_LIMITS.memoryMb, 64, 8192, 'MB');
  const json = flag(args, '--json');
  const classroom = flag(args, '--classroom');
  const withSolution = flag(args, '--solution');
  const maxN = Number(option(args, '--max-n') ?? DEFAULT_PROFILE_SETTINGS.maxN);
  const targetsArg = option(args, '--targets');
  const labOption = option(args, '--lab');
  const jobsOption = option(args, '--jobs');
  const outOption = option(args, '--out');
  const resume = flag(args, '--resume');
  const labPaths = options(args, '--labs');
  const idOption = option(args, '--id');
  const [command, ...rest] = args;
  const { labs, errors } = withLabPaths(loadLabs(paths.labsRoot, { compiledChecksDir: paths.labsDist }), labPaths);
  const sidecar = () =>
    new SidecarClient({
      // The sidecar contains the process that runs the submission (sidecar/runner/containment.ts).
      nodePath: process.execPath,
      sidecarScript: paths.sidecarScript,
      labsDist: paths.labsDist,
      backend,
      log: (level, message) => {
        if (level !== 'info') io.err(`[sidecar] ${message}`);
      },
    });
  for (const e of errors) io.err(`warning: ${e.message}`);

  switch (command) {
    case 'list': {
      if (json) {
        io.out(JSON.stringify(labs.map((l) => ({ ...l.manifest, hasSolution: hasSolution(l) })), null, 2));
        return 0;
      }
      for (const l of labs) {
        const m = l.manifest;
        const points = m.checks.filter((c) => !c.bonus).reduce((s, c) => s + c.points, 0);
        const bonus = m.checks.filter((c) => c.bonus).reduce((s, c) => s + c.points, 0);
        const hidden = m.checks.filter((c) => c.hidden).length;
        io.out(`${m.id}  ${m.title}  (v${m.version}, ${m.checks.length} checks, ${hidden} hidden, ${points} points)${bonus ? ` + ${bonus} bonus points` : ''}`);
        io.out(`    ${m.summary}`);
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
      io.out(`created ${lab.manifest.id} in ${result.dir}${withSolution ? ' (with the reference solution)' : ''}`);
      for (const k of result.kept) io.out(`kept your existing ${k}`);
      for (const d of reuse) if (!result.kept.includes(d.path)) io.out(describeReuse(d));
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
        io.out(json ? JSON.stringify(report, null, 2) : `${formatGradeReport(report)}\n\nwrote ${file}`);
        // GitHub Classroom: the step's `result` output for its grading reporter (cli/classroom.ts).
        if (classroom) io.err(`GitHub Classroom: ${writeClassroomResult(report, io.env.GITHUB_OUTPUT)}${io.env.GITHUB_OUTPUT ? '' : ' (no $GITHUB_OUTPUT: not written)'}`);
        // What contained the submission, on stderr so that --json output stays one document.
        // Stryker disable next-line ConditionalExpression: the client is ready once grading has run (it started it)
        const containment = client.state.kind === 'ready' ? client.state.info.backend.containment : undefined;
        // Stryker disable next-line ConditionalExpression: every sidecar reports its containment once ready
        if (containment) {
          io.err(['containment of the submission:', ...describeContainment(containment).map((l) => `  ${l.holds ? '✓' : '!'} ${l.text}`)].join('\n'));
        }
        return 0;
      } finally {
        await client.dispose();
      }
    }
    case 'grade-all': {
      const [dir] = rest;
      if (!dir) throw new UsageError('grade-all needs <submissions>: a folder with one subfolder or .zip per learner');
      const jobs = jobsOption === undefined ? undefined : Number(jobsOption);
      if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1 && jobs <= 64)) throw new UsageError('--jobs must be a whole number from 1 to 64');
      if (labOption && !findLab(labs, labOption)) throw new UsageError(`no lab "${labOption}"; known: ${labs.map((l) => l.manifest.id).join(', ')}`);
      return gradeAll({
        submissionsDir: dir,
        labId: labOption && findLab(labs, labOption)!.manifest.id,
        jobs,
        out: outOption ?? 'grades.csv',
        resume,
        labs,
        newClient: sidecar,
        limits: { timeoutMs, memoryMb },
        extensionVersion: version,
        io,
      });
    }
    case 'validate': {
      const [dir] = rest;
      if (!dir) throw new UsageError('validate needs <lab-dir>: a folder with lab.json');
      const labDir = resolve(dir);
      // A lab whose id is built into this copy (labs/, or a copy of one) runs its bundled checks;
      // any other lab is external: the sidecar transpiles its checks.ts at run time (as with --labs).
      const builtIn = existsSync(join(paths.labsDist, manifestId(labDir) ?? '-', 'checks.js'));
      const { items, lab } = validateStatic(labDir, paths.labsDist, { external: !builtIn });
      if (lab) {
        const built = join(paths.labsDist, lab.manifest.id, 'checks.js');
        if (builtIn && !existsSync(built)) {
          items.push({ ok: false, what: 'the check module is built', problems: [`${built} is missing: npm run build in a source checkout`] });
        } else {
          const client = sidecar();
          try {
            items.push(...(await validateWithSidecar(lab, client, { timeoutMs, memoryMb })));
          } finally {
            await client.dispose();
          }
        }
      }
      io.out(formatValidation(labDir, items));
      return items.every((i) => i.ok) ? 0 : 1;
    }
    case 'new-lab': {
      const [dir] = rest;
      if (!dir) throw new UsageError('new-lab needs <dir>: a new or empty folder for the lab');
      // A folder that is not empty is refused with the reason (exit 1, by runCli).
      const created = writeNewLab(dir, idOption, join(paths.buildRoot, 'types'));
      io.out(`created lab "${created.id}" in ${created.dir}: ${created.files.join(', ')}`);
      io.out(`next: transformer-labs validate ${dir}`);
      io.out(`      transformer-labs new ${created.id} <learner-dir> --labs ${dir}`);
      return 0;
    }
    case 'export-lab': {
      const [labDir, outDir] = rest;
      if (!labDir || !outDir) throw new UsageError('export-lab needs <lab-dir> and <out-dir>');
      // A refusal (LearnerCopyError) exits 1 with its reason, by runCli.
      io.out(describeCopy(writeLearnerCopy(labDir, outDir), labDir));
      return 0;
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
        io.out(`${fn} has no hints`);
        return 0;
      }
      for (const h of shown) io.out(`hint ${h.index} of ${h.total}: ${h.text}`);
      if (next) {
        recordHintOpened(ws, fn, next.index);
        io.out(`hint ${next.index} of ${next.total}: ${next.text}`);
      } else io.out(`(all ${shown.length} hints of ${fn} are open)`);
      return 0;
    }
    case 'quiz': {
      const [dir, id, ...answerWords] = rest;
      if (!dir) throw new UsageError('quiz needs <dir>');
      const { ws, lab } = labFolder(dir, labs);
      const quiz = quizOf(lab);
      if (!quiz) throw new UsageError(`${lab.manifest.id} has no mastery questions`);
      if (id) {
        if (answerWords.length === 0) throw new UsageError('quiz needs an <answer> after the question id');
        if (!quiz.questions.some((q) => q.id === id)) throw new UsageError(`${lab.manifest.id} has no question "${id}"; its questions: ${quiz.questions.map((q) => q.id).join(', ')}`);
        const r = answerQuestion(ws, lab.manifest.id, quiz, id, answerWords.join(' '));
        if (r.kind === 'refused') {
          io.out(`not counted: ${r.message}`);
          return 1;
        }
        const st = r.state;
        io.out(r.correct ? `right (+${st.earned} point${st.earned === 1 ? '' : 's'})` : st.status === 'retry' ? `not right; ${st.attemptsLeft} more ${st.attemptsLeft === 1 ? 'try' : 'tries'}` : 'not right; no tries left');
        if (st.correctAnswer) io.out(`answer: ${st.correctAnswer}\n${st.explanation}`);
        io.out(`mastery questions: ${r.summary.score}/${r.summary.maxScore} points, ${r.summary.answered} of ${r.summary.total} answered`);
        return 0;
      }
      const { file, problem } = readAnswers(ws, lab.manifest.id);
      if (problem) io.err(`warning: ${problem}`);
      const s = summarize(quiz, file);
      if (json) {
        io.out(JSON.stringify(s, null, 2));
        return 0;
      }
      quiz.questions.forEach((q, i) => {
        const st = s.questions[i];
        io.out(`${q.id}  [${q.kind}, ${q.points} point${q.points === 1 ? '' : 's'}] ${st.status}${st.answers.length ? ` (${st.answers.join(' → ')})` : ''}`);
        io.out(`  ${q.prompt}`);
        if (q.kind === 'choice') for (const o of q.options) io.out(`    ${o.id}) ${o.text}`);
        if (st.correctAnswer) io.out(`  answer: ${st.correctAnswer} — ${st.explanation}`);
      });
      io.out(`\nmastery questions: ${s.score}/${s.maxScore} points, ${s.answered} of ${s.total} answered`);
      return 0;
    }
    case 'profile': {
      const [dir] = rest;
      if (!dir) throw new UsageError('profile needs <dir>');
      const { ws, lab } = labFolder(dir, labs, '01-attention');
      if (!lab.manifest.visualizations.some((v) => v.id === PROFILE_VIEW)) throw new UsageError(`${lab.manifest.id} has no profiler; profile a Lab 1 folder (01-attention)`);
      if (!Number.isInteger(maxN) || maxN < 16 || maxN > 16384) throw new UsageError('--max-n must be a whole number from 16 to 16384');
      const targets = (targetsArg ? targetsArg.split(',') : DEFAULT_PROFILE_SETTINGS.targets) as ProfileTarget[];
      const bad = targets.filter((t) => !PROFILE_TARGETS.includes(t));
      if (bad.length > 0) throw new UsageError(`--targets: unknown ${bad.join(', ')}; known: ${PROFILE_TARGETS.join(', ')}`);
      const client = sidecar();
      const limits = { timeoutMs, memoryMb };
      try {
        const files = readLabFiles(lab, ws);
        const data = await runProfile(sidecarMeasure(async () => client, lab.manifest.id, () => files, limits), { ...DEFAULT_PROFILE_SETTINGS, targets, maxN }, {
          budgetMs: timingBudget(limits),
          onUpdate: (d) => {
            if (!json && d.measuring) io.errWrite(`measuring ${d.measuring.target} at N = ${d.measuring.n}\n`);
          },
        });
        if ('unavailable' in data) {
          io.err(data.unavailable);
          return 1;
        }
        io.out(json ? JSON.stringify(data, null, 2) : formatProfile(data));
        return 0;
      } finally {
        await client.dispose();
      }
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** The id lab.json of `dir` gives, when it reads as JSON with a string id (validate says what else is wrong). */
function manifestId(dir: string): string | undefined {
  try {
    const id = (JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as { id?: unknown }).id;
    return typeof id === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The lab folder `dir` names: a lab folder, or a course folder holding lab `inCourse`. */
function labFolder(dir: string, labs: Lab[], inCourse?: string): { ws: string; lab: Lab } {
  let ws = resolve(dir);
  const course = readCourse(ws);
  if (course) {
    const id = inCourse ?? course.current;
    if (!id) throw new UsageError(`${ws} is a course with no lab opened yet; name a lab folder inside it`);
    ws = join(ws, id);
  }
  const marker = findLabWorkspace(ws);
  if (!marker) throw new UsageError(`${ws} is not a lab folder (no .transformer-labs/lab.json)`);
  const lab = findLab(labs, marker.labId);
  if (!lab) throw new UsageError(`${ws} holds lab "${marker.labId}", which this version of Transformer Labs does not have`);
  return { ws, lab };
}

/** Runs the command line with `argv` (the words after the program name); returns the exit code: 0 done,
 * 1 failed, 2 a usage error (with the usage text), 130 stopped by Ctrl+C. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await main(argv, io);
  } catch (err) {
    io.err(`transformer-labs: ${(err as Error).message}`);
    if (err instanceof UsageError) io.err(`\n${USAGE}`);
    return err instanceof UsageError ? 2 : 1;
  }
}
