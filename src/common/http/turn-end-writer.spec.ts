import type { ServerResponse } from 'node:http';
import { TurnEndWriter } from './turn-end-writer';

/** A response that records what ended it, and when. */
function recordingResponse(log: string[], name: string, fails = false) {
  const response = {
    ended: undefined as string | undefined,
    destroyedWith: undefined as Error | undefined,
    end(body: string) {
      if (fails) throw new Error(`${name} cannot be written`);
      log.push(`${name}:${body}`);
      response.ended = body;
    },
    destroy(error: Error) {
      response.destroyedWith = error;
    },
  };
  return response;
}

const turnEnd = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(TurnEndWriter.name, () => {
  it('ends the responses of one turn at its end, in the order they were given', async () => {
    const writer = new TurnEndWriter();
    const log: string[] = [];
    const answers = Array.from({ length: 5 }, (_, i) => recordingResponse(log, `r${i}`));
    answers.forEach((response, i) => writer.end(response as unknown as ServerResponse, `body${i}`));
    expect(log).toEqual([]);
    await turnEnd();
    expect(log).toEqual(['r0:body0', 'r1:body1', 'r2:body2', 'r3:body3', 'r4:body4']);
  });

  it('ends a response given in a later turn in that turn, and each response once', async () => {
    const writer = new TurnEndWriter();
    const log: string[] = [];
    writer.end(recordingResponse(log, 'first') as unknown as ServerResponse, 'a');
    await turnEnd();
    writer.end(recordingResponse(log, 'second') as unknown as ServerResponse, 'b');
    expect(log).toEqual(['first:a']);
    await turnEnd();
    await turnEnd();
    expect(log).toEqual(['first:a', 'second:b']);
  });

  it('destroys a response that cannot be written and still writes the others of its turn', async () => {
    const writer = new TurnEndWriter();
    const log: string[] = [];
    const broken = recordingResponse(log, 'broken', true);
    const after = recordingResponse(log, 'after');
    writer.end(broken as unknown as ServerResponse, 'x');
    writer.end(after as unknown as ServerResponse, 'y');
    await turnEnd();
    expect(broken.destroyedWith?.message).toBe('broken cannot be written');
    expect(after.ended).toBe('y');
  });
});
