/** The file-name extensions that agree with each media type Plaza sniffs from a file's bytes; the first is the one given. */
const EXTENSIONS: Record<string, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'text/plain': ['txt'],
  'text/csv': ['csv'],
  'application/json': ['json'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  // Office documents are ZIP files inside; their own extensions are kept.
  'application/zip': ['zip', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp'],
  'application/octet-stream': ['bin'],
};

/**
 * A file name whose extension agrees with the type sniffed from the file: `payslip.html` holding a PDF is
 * stored as `payslip.pdf`, so whoever downloads it later opens it as what it is, not as the sender named it.
 */
export function nameForSniffedType(name: string, contentType: string): string {
  const allowed = EXTENSIONS[contentType];
  if (!allowed) throw new Error(`No file extension is known for ${contentType}`);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return allowed.includes(extension) ? name : `${stem || 'file'}.${allowed[0]}`;
}
