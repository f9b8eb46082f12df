// Every lab of a course with its status, read from the lab folders (the check record, the grade
// report, the quiz answers) — the open lab's live results take the record's place. No vscode.
import type { Lab } from '../labs/manifest';
import { readAnswers, summarize } from '../quiz/quizAnswers';
import { quizOf } from '../quiz/quizFile';
import { readCheckRecord, type RecordedResult } from './checkRecord';
import { courseLabs } from './courseLayout';
import { labStatus, readGradeSummary, type LabStatus } from './labStatus';

export interface LiveResults {
  labId: string;
  results: RecordedResult[];
  compileError?: string;
}

export interface CourseEntry {
  lab: Lab;
  dir: string;
  created: boolean;
  status: LabStatus;
}

export function courseStatus(courseDir: string, labs: Lab[], live?: LiveResults): CourseEntry[] {
  return courseLabs(courseDir, labs).map(({ lab, dir, created }) => {
    const id = lab.manifest.id;
    const record = created && live?.labId !== id ? readCheckRecord(dir, id) : undefined;
    const quiz = quizOf(lab);
    const status = labStatus(lab, {
      created,
      results: live?.labId === id ? live.results : record?.results,
      compileError: live?.labId === id ? live.compileError : record?.compileError,
      graded: created ? readGradeSummary(dir, id) : undefined,
      quiz: created && quiz ? summarize(quiz, readAnswers(dir, id).file) : undefined,
    });
    return { lab, dir, created, status };
  });
}
