import { document as contract } from '@buergerservice/contracts';
import { call } from '@buergerservice/service-kit';
import type { CallOptions, DocumentAuthority } from '../app/ports.js';
import type { DocumentContent, DocumentKindName, IssuedDocument, Verification } from '../domain/authorities.js';
import { mapped } from './errors.js';

export const documentKinds: Record<number, DocumentKindName> = {
  [contract.DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION]: 'registration-confirmation',
  [contract.DocumentKind.DOCUMENT_KIND_VEHICLE_REGISTRATION_RECORD]: 'vehicle-registration-record',
  [contract.DocumentKind.DOCUMENT_KIND_ID_CARD_ADDRESS_STICKER_ORDER]: 'id-card-sticker-order',
};

const statuses: Record<number, IssuedDocument['status']> = {
  [contract.DocumentStatus.DOCUMENT_STATUS_VALID]: 'valid',
  [contract.DocumentStatus.DOCUMENT_STATUS_REVOKED]: 'revoked',
  [contract.DocumentStatus.DOCUMENT_STATUS_PENDING]: 'pending',
};

const results: Record<number, Verification['result']> = {
  [contract.VerificationResult.VERIFICATION_RESULT_VALID]: 'valid',
  [contract.VerificationResult.VERIFICATION_RESULT_REVOKED]: 'revoked',
};

function toDocument(d: contract.Document): IssuedDocument {
  return {
    documentId: d.documentId,
    kind: documentKinds[d.kind] ?? 'unspecified',
    status: statuses[d.status] ?? 'unspecified',
    personId: d.personId,
    moveId: d.moveId,
    plate: d.plate,
    documentNumber: d.documentNumber,
    ...(d.issuedAt ? { issuedAt: d.issuedAt } : {}),
    ...(d.revokedAt ? { revokedAt: d.revokedAt } : {}),
    contentType: d.contentType,
  };
}

/** The document service over gRPC. */
export class GrpcDocumentAuthority implements DocumentAuthority {
  constructor(private readonly client: contract.DocumentServiceClient) {}

  async list(filter: { personId: string } | { moveId: string }, options: CallOptions = {}): Promise<IssuedDocument[]> {
    const response = await mapped('document', () =>
      call(this.client, 'listDocuments', filter, { idempotent: true, signal: options.signal }),
    );
    return response.documents.map(toDocument);
  }

  async get(documentId: string, options: CallOptions = {}): Promise<DocumentContent> {
    const response = await mapped('document', () =>
      call(this.client, 'getDocument', { documentId }, { idempotent: true, signal: options.signal }),
    );
    if (!response.document) throw new Error('document answered without a document');
    return { document: toDocument(response.document), content: response.document.content };
  }

  async verify(code: string, options: CallOptions = {}): Promise<Verification> {
    const response = await mapped('document', () =>
      call(this.client, 'verifyDocument', { verificationCode: code }, { idempotent: true, signal: options.signal }),
    );
    return {
      result: results[response.result] ?? 'unknown',
      signedFields: { ...response.signedFields },
      signature: response.signature,
      keyId: response.keyId,
    };
  }
}
