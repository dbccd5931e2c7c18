/**
 * Classes on one relay in real VS Code (code-server): a teacher creates a class with "Relay: Create Class…", two
 * students join it by the address with its code, and a student of the relay's default class sees none of it.
 */
import assert from 'node:assert/strict';
import { CLI } from '../helpers/process/processes';
import { startGroup } from './processGroup';
import { scenario, waitOutput } from './scenario';

scenario(
  '18. A teacher creates a class on a relay that keeps several: VS Code connects her as its teacher and shows the address with the code; two students join by that address, the status bars show the class, the roster lists only them, and a student of the default class sees none of it and cannot reach them',
  async (world) => {
    await world.startRelay({ flags: ['--class-creation', 'open'] });
    const [keller, anna, tom] = await Promise.all([
      world.student('Keller'),
      world.student('Anna'),
      world.student('Tom'),
    ]);
    const ben = world.track(
      'Ben',
      startGroup(process.execPath, [CLI, 'chat', '-s', world.relayAddress, '-n', 'Ben'], { input: true }),
    );
    await waitOutput(ben, 'Connected to');

    await keller.runCommand('Relay: Create Class…');
    await keller.answer(/host:port/, world.relayAddress, 30_000);
    await keller.answer(/classmates will see/, 'Frau Keller');
    const ready = await keller.waitForNotification(/Your class \S+ is ready/, 20_000);
    const address = /connect to (\S+) with/.exec(ready)?.[1] ?? '';
    const code = /Your class (\S+) is ready/.exec(ready)?.[1] ?? '';
    assert.equal(address, `${world.relayAddress}/${code}`, ready);
    assert.match(ready, /Copy/);
    await keller.waitForStatusBar(new RegExp(`Frau Keller \\(Teacher\\) · ${code}`), 20_000);

    await Promise.all([anna.connect(address, 'Anna'), tom.connect(address, 'Tom')]);
    await anna.waitForStatusBar(new RegExp(`Anna · ${code}`));
    await keller.openRoster();
    await keller.waitForRoster(
      (rows) =>
        rows
          .map((row) => row.label)
          .sort()
          .join() === 'Anna,Tom',
      'Anna and Tom, and nobody of the default class',
    );

    await anna.sendFromPanel('Tom', 'Hallo Tom, hier Anna');
    await tom.selectConversation('Anna');
    await tom.waitForMessage((message) => message.text === 'Hallo Tom, hier Anna', "Anna's message");
    await anna.waitForMessage((message) => message.delivery === 'delivered', 'delivered to Tom');

    // Ben, of the default class, finds nobody of the class, and nothing of it reached him.
    ben.write('/who\n');
    await waitOutput(ben, 'Online: nobody else');
    ben.write('Anna: Hallo Anna\n');
    await waitOutput(ben, 'unknown peer "Anna"');
    assert.doesNotMatch(ben.output(), /Hallo Tom|Frau Keller|Tom is online|Anna is online/);
  },
);
