import { basicAuthorization, basicCredentials } from './basic-auth';

describe('basic auth', () => {
  it('encodes user and password as HTTP Basic does, in UTF-8', () => {
    expect(basicCredentials('alice', 'pä:ss')).toBe(Buffer.from('alice:pä:ss', 'utf8').toString('base64'));
    expect(basicAuthorization('alice', 's3cret')).toBe('Basic YWxpY2U6czNjcmV0');
  });
});
