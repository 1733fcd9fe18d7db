/** Settings of the "Server Socket" section: where tgun listens. */
import { defineSetting } from './types.js';
import { int, list } from './validators.js';
import { bindAddress } from './validators-extra.js';

const bindList = list(bindAddress);

const bind = defineSetting({
  name: 'bind',
  section: 'Server Socket',
  gunicorn: 'bind',
  cli: { flags: ['-b', '--bind'], metavar: 'ADDRESS', repeat: true },
  env: 'PORT',
  default: (env: NodeJS.ProcessEnv): string[] => (env.PORT ? bindList([`0.0.0.0:${env.PORT}`]) : ['127.0.0.1:8000']),
  defaultText: '`127.0.0.1:8000`, or `0.0.0.0:$PORT` when `PORT` is set',
  validate: bindList,
  typeText: 'string[]',
  summary: 'The socket to bind; repeat the flag to listen on several.',
  description: [
    'Addresses the arbiter binds and every worker serves. Each is one of:',
    '',
    '- `HOST:PORT` or `HOST` (port 8000): `127.0.0.1:8000`, `0.0.0.0:80`, `localhost:3000`;',
    '- `[IPV6]:PORT`: `[::1]:8000`, `[::]:8000`;',
    '- `unix:PATH` or `unix://PATH`: a unix domain socket, created under `umask` and removed when tgun exits;',
    '- `fd://N`: an already-open listening socket inherited from the process that started tgun.',
    '',
    'A `tcp://` prefix is accepted and ignored. Give the flag several times (`-b 127.0.0.1:8000 -b [::1]:8000`)',
    'or a list in the config file to listen on several addresses at once; in a config file or `TGUN_CMD_ARGS`',
    'a comma-separated string works too.',
    '',
    'The arbiter only binds: it never accepts a connection. Workers accept on the sockets they inherit, so',
    'connections wait in the kernel backlog while workers restart instead of being refused.',
    '',
    'When the environment variable `PORT` is set (Heroku and most PaaS do), the default is `0.0.0.0:$PORT`.',
    'systemd socket activation (`LISTEN_FDS`) takes precedence over this setting.',
  ].join('\n'),
});

const backlog = defineSetting({
  name: 'backlog',
  section: 'Server Socket',
  gunicorn: 'backlog',
  cli: { flags: ['--backlog'], metavar: 'INT' },
  default: 2048,
  validate: int({ min: 1 }),
  typeText: 'int',
  summary: 'The maximum number of pending connections.',
  description: [
    'The `listen(2)` backlog: how many connections the kernel queues for the workers to accept. Clients beyond',
    'it get refused or wait for a retransmit. Linux caps it at `net.core.somaxconn` (4096 on recent kernels).',
    '',
    'It matters most during a reload: connections that arrive while workers restart wait here.',
  ].join('\n'),
});

/** The "Server Socket" section, in reference order. */
export const SERVER_SOCKET_SETTINGS = [bind, backlog] as const;
