const Database = require(process.env.BENCH_LIBRARY_DIR ? `${process.env.BENCH_LIBRARY_DIR}/node_modules/better-sqlite3` : "better-sqlite3");
const pragma = Database.prototype.pragma;
Database.prototype.pragma = function (statement, ...rest) {
  const result = pragma.call(this, statement, ...rest);
  if (statement === 'synchronous = NORMAL' && process.env.EXTRA_PRAGMAS) {
    for (const extra of process.env.EXTRA_PRAGMAS.split(';')) require('fs').appendFileSync('/tmp/pragma.log', extra + ' ' + JSON.stringify(pragma.call(this, extra)) + ' ' + JSON.stringify(pragma.call(this, 'cache_size')) + '\n');
  }
  return result;
};
