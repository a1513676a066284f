import { document } from '@buergerservice/contracts';
import { type UnaryHandlers, ValidationError, Violations } from '@buergerservice/service-kit';
import { getDocument } from '../app/get-document.js';
import { getSigningKey } from '../app/get-signing-key.js';
import { listDocuments } from '../app/list-documents.js';
import type { DocumentAppDeps, DocumentWithContent } from '../app/ports.js';
import { verifyDocument } from '../app/verify-document.js';
import { contractKind, contractStatus } from '../events/codec.js';

/** Longer input is no typo of a 16-symbol code; refused before it reaches the store. */
const MAX_CODE_INPUT = 64;

function toContract(record: DocumentWithContent): document.Document {
  return document.Document.fromPartial({
    documentId: record.documentId,
    kind: contractKind(record.kind),
    status: contractStatus(record.status),
    personId: record.personId,
    moveId: record.moveId,
    plate: record.plate,
    documentNumber: record.documentNumber,
    verificationCode: record.verificationCode,
    issuedAt: record.issuedAt,
    revokedAt: record.revokedAt,
    contentType: record.contentType,
    content: record.content ?? Buffer.alloc(0),
  });
}

const RESULT = {
  valid: document.VerificationResult.VERIFICATION_RESULT_VALID,
  revoked: document.VerificationResult.VERIFICATION_RESULT_REVOKED,
  unknown: document.VerificationResult.VERIFICATION_RESULT_UNKNOWN,
} as const;

/** The DocumentService: contract <-> use case, nothing else. */
export function documentHandlers(deps: DocumentAppDeps): UnaryHandlers<typeof document.DocumentServiceService> {
  return {
    async listDocuments(request, ctx) {
      const byPerson = request.personId !== undefined;
      const byMove = request.moveId !== undefined;
      if (!byPerson && !byMove) {
        throw new ValidationError([{ field: 'filter', description: 'set person_id or move_id' }]);
      }
      const v = new Violations();
      if (byPerson) v.required('person_id', request.personId);
      if (byMove) v.required('move_id', request.moveId);
      v.throwIfAny();
      const found = await listDocuments(
        deps,
        request.personId !== undefined ? { personId: request.personId } : { moveId: request.moveId ?? '' },
      );
      // Metadata only: the content stays empty in lists.
      const documents = found.map((record) => toContract({ ...record, content: undefined }));
      return ctx.restrictFields(document.ListDocumentsResponse, { documents });
    },

    async getDocument(request, ctx) {
      const v = new Violations();
      v.required('document_id', request.documentId);
      v.throwIfAny();
      const found = await getDocument(deps, { documentId: request.documentId });
      return ctx.restrictFields(document.GetDocumentResponse, { document: toContract(found) });
    },

    async verifyDocument(request, ctx) {
      const v = new Violations();
      if (v.required('verification_code', request.verificationCode)) {
        v.check(
          request.verificationCode.length <= MAX_CODE_INPUT,
          'verification_code',
          `must be at most ${MAX_CODE_INPUT} characters`,
        );
      }
      v.throwIfAny();
      const answer = await verifyDocument(deps, { verificationCode: request.verificationCode });
      const response: document.VerifyDocumentResponse =
        answer.result === 'unknown'
          ? document.VerifyDocumentResponse.fromPartial({ result: RESULT.unknown })
          : document.VerifyDocumentResponse.fromPartial({
              result: RESULT[answer.result],
              signedFields: { ...answer.signedFields },
              signature: answer.signature,
              keyId: answer.keyId,
            });
      return ctx.restrictFields(document.VerifyDocumentResponse, response);
    },

    async getSigningKey(_request, ctx) {
      return ctx.restrictFields(
        document.GetSigningKeyResponse,
        document.GetSigningKeyResponse.fromPartial(getSigningKey(deps)),
      );
    },
  };
}
