/** Settings of the "Process Naming" section: how tgun's processes show up in `ps` and `top`. */
import { defineSetting } from './types.js';
import { optionalString } from './validators.js';

const procName = defineSetting({
  name: 'procName',
  section: 'Process Naming',
  gunicorn: 'proc_name',
  cli: { flags: ['-n', '--name'], metavar: 'STRING' },
  default: null,
  defaultText: 'the app, as given (`app.mjs:handler`)',
  validate: optionalString(),
  typeText: 'string | null',
  summary: 'A name for the processes in ps and top.',
  description: [
    'Process titles become `tgun: master [NAME]` and `tgun: worker [NAME]`, so several tgun instances on one',
    'host can be told apart (`ps`, `top`, `pgrep -f`). It also names the control socket and the syslog',
    'program. By default NAME is the app as given on the command line or in `app`.',
    '',
    'Titles are set through `process.title`. On Linux a title cannot be longer than the command line the',
    'process was started with, and `/proc/PID/comm` shows only its first 15 characters.',
  ].join('\n'),
});

/** The "Process Naming" section. */
export const PROCESS_NAMING_SETTINGS = [procName] as const;
