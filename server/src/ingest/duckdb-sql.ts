// Safe SQL text for identifiers and literals that come from the data (key names, paths).

export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;
