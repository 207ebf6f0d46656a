/** The application's pino instance. */
export const ROOT_LOGGER = 'ROOT_LOGGER';
/** The request logging middleware: one line per request, request ids. */
export const HTTP_LOGGER = 'HTTP_LOGGER';
