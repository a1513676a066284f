import { downloadDocument } from '../../app/download-document.js';
import { listDocuments } from '../../app/list-documents.js';
import { verifyDocument } from '../../app/verify-document.js';
import { citizenOf } from '../auth.js';
import { HttpError } from '../problem.js';
import { documentJson, verificationJson } from '../representations.js';
import { validated } from '../routing.js';
import type { Handlers, HandlerDeps } from './deps.js';

/** Handlers of the document operations and the public ones. */
export function documentHandlers(deps: HandlerDeps): Handlers {
  return {
    async getPortalConfig() {
      return {
        status: 200,
        headers: { 'cache-control': 'no-cache' },
        body: { devIssuer: deps.devIssuerEnabled, issuer: deps.issuer },
      };
    },

    async listDocuments(req, ctx) {
      const documents = await listDocuments(deps, { personId: citizenOf(req).personId }, { signal: ctx.signal });
      return { status: 200, body: { items: documents.map(documentJson) } };
    },

    async downloadDocument(req, ctx) {
      const { params } = validated<{ documentId: string }>(req);
      const { document, content } = await downloadDocument(
        deps,
        { documentId: params.documentId, personId: citizenOf(req).personId },
        { signal: ctx.signal },
      );
      if (document.contentType !== 'application/pdf' || content.length === 0) {
        throw new HttpError('not-found', 'This document has no PDF (yet).');
      }
      const name = (document.documentNumber || document.documentId).replace(/[^A-Za-z0-9_-]/g, '_');
      return {
        status: 200,
        headers: {
          'content-disposition': `attachment; filename="${name}.pdf"`,
          'cache-control': 'private, no-store',
        },
        raw: { contentType: 'application/pdf', data: content },
      };
    },

    async verifyDocument(req, ctx) {
      const { params } = validated<{ code: string }>(req);
      const verification = await verifyDocument(deps, { code: params.code }, { signal: ctx.signal });
      return { status: 200, headers: { 'cache-control': 'no-store' }, body: verificationJson(verification) };
    },
  };
}
