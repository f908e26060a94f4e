// Escaping for the markup reports (JUnit XML, HTML): text and attribute values alike. Control
// characters other than tab, newline and carriage return are dropped: XML 1.0 forbids them.
export const escapeMarkup = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F]/g, "");
