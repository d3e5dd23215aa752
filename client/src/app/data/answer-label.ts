// How a view's footer says where its figures came from and how long they took.
import type { QueryResult } from './dataset.service';

export function answerLabel({ answeredBy, milliseconds }: Pick<QueryResult, 'answeredBy' | 'milliseconds'>): string {
  switch (answeredBy) {
    case 'cache': return 'from this device’s cache';
    case 'server': return `${milliseconds.toFixed(0)} ms on the server`;
    case 'device': return `${milliseconds.toFixed(0)} ms`;
  }
}
