// `transformer-labs grade <dir> --classroom`: the grade in the form GitHub Classroom's grading
// reporter (classroom-resources/autograding-grading-reporter) reads from a step's `result`
// output — base64 of { version, status, max_score, tests: [{ name, status, score, ... }] }. The
// reporter adds up the tests' `score` against `max_score` and posts "Points X/Y" on the
// "Autograding Tests" check run, which is the score Classroom shows. One test per check (bonus
// checks left out, as in the report's score), so partial credit reaches Classroom as it is.
import { appendFileSync } from 'node:fs';
import type { GradeReport } from '../core/grading/gradeReport';

export interface ClassroomResult {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: { name: string; status: 'pass' | 'fail' | 'error'; score: number; message: string; line_no: number; execution_time: string }[];
}

export function classroomResult(report: GradeReport): ClassroomResult {
  const graded = report.checks.filter((c) => !c.bonus);
  const tests = graded.map((c) => ({
    name: `${report.labId}: ${c.title}${c.hidden ? ' (hidden)' : ''}`,
    status: c.status === 'pass' ? ('pass' as const) : c.status === 'fail' || c.status === 'not-started' ? ('fail' as const) : ('error' as const),
    score: c.earned,
    message: c.status === 'pass' ? '' : `${c.message}\nhint: ${c.hint}`,
    line_no: 0,
    execution_time: '0s',
  }));
  const status = tests.every((t) => t.status === 'pass') ? 'pass' : tests.some((t) => t.status === 'fail') ? 'fail' : 'error';
  return { version: 1, status, max_score: report.maxScore, tests };
}

/**
 * Writes `result=<base64>` to the step's output file ($GITHUB_OUTPUT), and returns the line the
 * reporter prints from it. Without $GITHUB_OUTPUT (not in Actions) it only returns the line.
 */
export function writeClassroomResult(report: GradeReport, outputFile = process.env.GITHUB_OUTPUT): string {
  const result = classroomResult(report);
  if (outputFile) appendFileSync(outputFile, `result=${Buffer.from(JSON.stringify(result)).toString('base64')}\n`);
  const total = result.tests.reduce((s, t) => s + t.score, 0);
  return `Points ${total}/${result.max_score}`;
}
