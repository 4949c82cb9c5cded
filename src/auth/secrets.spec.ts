import { isSecretKey, MASK, maskSecrets } from './secrets';

describe('secret masking', () => {
  it.each(['auth_password', 'password', 'AUTH_PASSWORD', 'chapPassword', 'client_secret', 'auth_token', 'keyring', 'my_private_key'])(
    'treats %s as secret',
    (key) => expect(isSecretKey(key)).toBe(true),
  );

  it.each(['auth_username', 'target_iqn', 'target_portal', 'target_lun', 'auth_method'])('does not treat %s as secret', (key) =>
    expect(isSecretKey(key)).toBe(false),
  );

  it('masks secret values at any depth and leaves the rest', () => {
    expect(maskSecrets({ auth_username: 'u', auth_password: 'p', nested: { token: 't', lun: 0 }, list: [{ secret: 1 }] })).toEqual({
      auth_username: 'u', auth_password: MASK, nested: { token: MASK, lun: 0 }, list: [{ secret: MASK }],
    });
  });
});
