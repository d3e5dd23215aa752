import { answerLabel } from './answer-label';

describe('answerLabel', () => {
  it('says where the figures came from, and the time only when a query ran', () => {
    expect(answerLabel({ answeredBy: 'cache', milliseconds: 0 })).toBe('from this device’s cache');
    expect(answerLabel({ answeredBy: 'server', milliseconds: 41.6 })).toBe('42 ms on the server');
    expect(answerLabel({ answeredBy: 'device', milliseconds: 7.2 })).toBe('7 ms');
  });
});
