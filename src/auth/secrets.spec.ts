import { isSecretKey, MASK, maskPassword, maskSecrets } from './secrets';

/** Expected values are what oslo.utils' mask_dict_password / mask_password answer (Ironic 21.4's). */
describe('secret masking', () => {
  it.each(['auth_password', 'password', 'AUTH_PASSWORD', 'chapPassword', 'client_secret', 'auth_token', 'my_private_key'])(
    'treats %s as secret',
    (key) => expect(isSecretKey(key)).toBe(true),
  );

  it.each(['auth_username', 'target_iqn', 'target_portal', 'target_lun', 'auth_method', 'keyring'])('does not treat %s as secret', (key) =>
    expect(isSecretKey(key)).toBe(false),
  );

  it('masks nested objects, leaves lists alone, masks any value under a secret key', () => {
    expect(
      maskSecrets({ auth_username: 'u', auth_password: 'p', nested: { token: 't', lun: 0 }, list: [{ secret: 1 }], password: { a: 1 }, token: [1] }),
    ).toEqual({ auth_username: 'u', auth_password: MASK, nested: { token: MASK, lun: 0 }, list: [{ secret: 1 }], password: { a: 1 }, token: MASK });
  });

  it.each([
    ['CHAPPASSWORD=abc', 'CHAPPASSWORD=******'],
    ['password=xyz other', 'password=****** other'],
    ['--password d81juxmEW_', '--password ******'],
    ['<password>abc</password>', '<password>******</password>'],
    ['no secrets here', 'no secrets here'],
  ])('masks secret assignments in %j', (text, masked) => {
    expect(maskPassword(text)).toBe(masked);
    expect(maskSecrets({ s: text })).toEqual({ s: masked });
  });

  it('does not change its input', () => {
    const input = { password: 'p', nested: { token: 't' } };
    maskSecrets(input);
    expect(input).toEqual({ password: 'p', nested: { token: 't' } });
  });
});
