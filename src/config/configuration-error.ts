/**
 * A start-up problem with the environment. Its message is one line meant for an operator and
 * never holds a configured secret.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}
