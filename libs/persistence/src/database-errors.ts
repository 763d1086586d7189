// SQLSTATE classes and codes that mean "try again later", not "this input is wrong".
const TRANSIENT_SQLSTATE_CLASSES = ['08', '53', '57'];
// 25006 read_only_sql_transaction: a failover's old primary (or a standby) answering writes
// until the pool reconnects to the new primary.
const TRANSIENT_SQLSTATES = ['25006', '40001', '40P01', '55P03'];
const TRANSIENT_NODE_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
];
const TRANSIENT_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down)/i,
  /Connection is not established/i,
];

/**
 * Whether a database failure is worth retrying unchanged: connection loss, shutdown, failover,
 * contention.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown } | null)?.driverError];
  return candidates.some((candidate) => {
    if (typeof candidate !== 'object' || candidate === null) return false;
    const { code, message } = candidate as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (TRANSIENT_NODE_CODES.includes(code) || TRANSIENT_SQLSTATES.includes(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.includes(code.slice(0, 2)))
        return true;
    }
    return (
      typeof message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))
    );
  });
}

// Data exceptions (a value PostgreSQL cannot take, e.g. a lone surrogate in jsonb) and program
// limits (e.g. a jsonb nested too deep): the statement's values are the cause.
const DATA_REFUSED_SQLSTATE_CLASSES = ['22', '54'];

/**
 * Whether PostgreSQL refused a statement because of the values it carried: the same values fail
 * again, other values pass. The SQLSTATE of the error, or of a TypeORM error's `driverError`.
 */
export function isDataRefusedByDatabase(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown } | null)?.driverError];
  return candidates.some((candidate) => {
    if (typeof candidate !== 'object' || candidate === null) return false;
    const { code } = candidate as { code?: unknown };
    return (
      typeof code === 'string' &&
      /^[0-9A-Z]{5}$/.test(code) &&
      DATA_REFUSED_SQLSTATE_CLASSES.includes(code.slice(0, 2))
    );
  });
}
