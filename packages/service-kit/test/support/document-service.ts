import { document } from '@buergerservice/contracts';
import { type UnaryHandlers, Violations } from '../../src/index';

/** What the test handlers observed, for assertions on the server side. */
export interface Observed {
  slowCallAborted: boolean;
  slowCallDeadline: Date | undefined;
  calls: number;
}

/**
 * Small handlers for the real DocumentService contract: enough behaviour to
 * exercise validation, unexpected errors, deadlines and client identities.
 */
export function documentHandlers(observed: Observed): UnaryHandlers<typeof document.DocumentServiceService> {
  return {
    async listDocuments(req) {
      observed.calls++;
      const v = new Violations();
      v.check(req.personId !== undefined || req.moveId !== undefined, 'filter', 'person_id or move_id is required');
      v.throwIfAny();
      return { documents: [] };
    },
    async getDocument(req, ctx) {
      observed.calls++;
      const v = new Violations();
      if (v.required('document_id', req.documentId)) {
        v.check(/^d-\d+$/.test(req.documentId), 'document_id', 'must look like d-<number>');
      }
      v.throwIfAny();
      if (req.documentId === 'd-500') throw new Error('mongodb://db-internal:27017 refused the connection');
      if (req.documentId === 'd-201') await new Promise((resolve) => setTimeout(resolve, 800));
      if (req.documentId === 'd-408') {
        observed.slowCallDeadline = ctx.deadline;
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        observed.slowCallAborted = ctx.signal.aborted;
        throw ctx.signal.reason;
      }
      return { document: document.Document.fromPartial({ documentId: req.documentId, plate: 'L-AB 123' }) };
    },
    async verifyDocument(req) {
      observed.calls++;
      return {
        result: document.VerificationResult.VERIFICATION_RESULT_UNKNOWN,
        signedFields: {},
        signature: '',
        keyId: req.verificationCode,
      };
    },
    async getSigningKey(_req, ctx) {
      observed.calls++;
      // Echoes the caller's identity so tests can see who the server thinks called.
      return { keyId: ctx.clientId, algorithm: 'Ed25519', publicKeyPem: '' };
    },
  };
}

export function newObserved(): Observed {
  return { slowCallAborted: false, slowCallDeadline: undefined, calls: 0 };
}
