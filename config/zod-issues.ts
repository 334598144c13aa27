// Formats zod issues as "key.path: message", the shape every config error uses.
import type { z } from 'zod';

export function formatZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const keyPath = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${keyPath}: ${issue.message}`;
  });
}
