import { FrameworkError, IronicError, TokenCheckError } from './ironic-errors';

export interface ErrorEnvelope {
  error_message: string;
}

/** keystonemiddleware's refusal body, for TokenCheckError. */
export interface TokenCheckBody {
  error: { code: number; title: string; message: string };
}

/**
 * Ironic's error body: a JSON document whose only member holds another JSON
 * document as a string (ironic/api/middleware/parsable_error.py).
 */
export function errorEnvelope(error: IronicError): ErrorEnvelope | TokenCheckBody {
  if (error instanceof TokenCheckError) return { error: { code: error.status, title: error.title, message: error.message } };
  if (error instanceof FrameworkError) {
    return {
      error_message: JSON.stringify({ code: error.status, title: error.title, description: error.message }),
    };
  }
  return {
    error_message: JSON.stringify({
      faultcode: error.status >= 500 ? 'Server' : 'Client',
      faultstring: error.message,
      debuginfo: null,
    }),
  };
}
