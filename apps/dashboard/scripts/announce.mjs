// The seed's config sends tgun's logs to files, so tgun itself prints nothing on the terminal (as gunicorn
// does); say where the dashboard and its logs are before handing over to it.
console.log('tgun: serving the dashboard at http://127.0.0.1:8000 with 4 workers (Ctrl+C stops it)');
console.log('tgun: logs go to /tmp/tgun/tgun_error.log and /tmp/tgun/tgun_access.log');
