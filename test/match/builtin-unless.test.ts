import { describe, expect, it } from 'vitest';
import { builtinEngine } from '../helpers.js';

const { top } = builtinEngine();

// Messages that carry a guide's words but are another failure: the guide's `unless` patterns take those
// lines from it. Rows are written from the protocols' and libraries' own message texts.
describe("the built-in guides: a guide's words on a line that is another failure", () => {
  it.each([
    // MQTT CONNACK return codes 1-5: the broker accepted TCP and refused the session (paho, mosquitto,
    // the ESP-IDF client's reason code).
    ['Connection Refused: not authorised.', null],
    ['0x05  Connection Refused:  not authorized', null],
    ['mosquitto_sub: Connection error: Connection Refused: bad user name or password.', null],
    ['on_connect rc=2: Connection Refused: identifier rejected.', null],
    ['Connection Refused: unacceptable protocol version.', null],
    ['[MQTT WARN] Connection refuse, reason code: 5', null],
    // go-plugin logs the stdio stream's EOF whenever a Terraform provider or Packer plugin exits.
    [
      '2023-09-26T10:47:49.898-0700 [DEBUG] provider.stdio: received EOF, stopping recv loop: err="rpc error: code = Unavailable desc = error reading from server: EOF"',
      null,
    ],
  ])('%j -> %s', (text, expected) => {
    expect(top(text)).toBe(expected);
  });

  it.each([
    // The same guides still answer their own failure, on the same protocol and beside such a line.
    ['dial tcp 10.0.0.7:1883: connect: connection refused', 'connection-refused'],
    [
      'Connection Refused: not authorised.\nError: dial tcp 127.0.0.1:1883: connect: connection refused',
      'connection-refused',
    ],
    ['rpc error: code = Unavailable desc = error reading from server: EOF', 'grpc-unavailable'],
  ])('%j -> %s', (text, expected) => {
    expect(top(text)).toBe(expected);
  });
});
