import type PDFDocumentClass from 'pdfkit';

// Libraries only a few pages use (PDF exports, server-drawn charts) cost a third of a second to load; they
// are loaded on first use instead of at every start.

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}

export const loadPdfKit: () => Promise<typeof PDFDocumentClass> = once(async () => (await import('pdfkit')).default);

export const loadChartLibraries = once(async () => {
  const [Plot, { parseHTML }] = await Promise.all([import('@observablehq/plot'), import('linkedom')]);
  return { Plot, parseHTML };
});

/** The AWS SDK's S3 client, only for an S3 blob store (BLOB_STORE=s3); it takes a few hundred ms to load. */
export const loadS3Client = once(() => import('@aws-sdk/client-s3'));

/** qrcode, only for the page that sets up a staff second factor. */
export const loadQrCode = once(async () => (await import('qrcode')).default);
