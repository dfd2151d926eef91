// The consent text: every point the engineer must be able to find, from the policy they agree to.
import { strict as assert } from 'node:assert';
import { consentDocument, consentMarkdown, type ConsentContext } from '../../src/core/gate/consentText';
import { POLICY_DEFAULTS, type Policy } from '../../src/core/gate/policy';

const policy = (over: Partial<Policy> = {}): Policy => ({ version: 1, enabled: true, ...POLICY_DEFAULTS, ...over });
const context = (over: Partial<ConsentContext> = {}): ConsentContext => ({
  repoName: 'range',
  policy: policy(),
  storePath: '/home/me/.codetrail/store',
  policyChanged: false,
  ...over,
});
const section = (ctx: ConsentContext, id: string) => {
  const found = consentDocument(ctx).sections.find((s) => s.id === id);
  assert.ok(found, `a section ${id}`);
  return found.points.join('\n');
};

describe('consent text', () => {
  it('says what the data is for: training coding models, and the policy’s own purpose and contact', () => {
    const purpose = section(context({ policy: policy({ purpose: 'improve our code assistant', contact: 'ml-data@example.com' }) }), 'purpose');
    assert.match(purpose, /training data for AI coding models/);
    assert.match(purpose, /improve our code assistant/);
    assert.match(purpose, /ml-data@example\.com/);
    assert.match(section(context(), 'purpose'), /names no contact/);
  });

  it('says that nothing leaves the machine until each task is approved', () => {
    const doc = consentDocument(context());
    const sharing = doc.sections.find((s) => s.id === 'sharing')!;
    assert.match(sharing.heading, /Nothing leaves this machine until you approve/);
    assert.match(sharing.points.join(' '), /each task/);
  });

  it('lists what is recorded and what never is, following the policy', () => {
    assert.match(section(context(), 'recorded'), /edits/);
    assert.match(section(context(), 'recorded'), /not their output/);
    assert.match(section(context({ policy: policy({ terminalOutput: true }) }), 'recorded'), /with output excerpts/);
    const metadata = section(context({ policy: policy({ capture: 'metadata' }) }), 'recorded');
    assert.match(metadata, /Never any code text/);
    assert.doesNotMatch(metadata, /Your edits/);
    const never = section(context(), 'never');
    for (const point of [/paused/, /\.env/, /git-ignored/, /Secrets/, /e-mail/]) assert.match(never, point);
    assert.doesNotMatch(never, /policy excludes/);
    assert.match(section(context({ policy: policy({ exclude: ['docs/private/**'] }) }), 'never'), /policy excludes/);
  });

  it('says where data lives and for how long (the shorter of the policy’s and the engineer’s retention)', () => {
    const storage = section(context({ policy: policy({ retentionDays: 30 }) }), 'storage');
    assert.match(storage, /\/home\/me\/\.codetrail\/store/);
    assert.match(storage, /after 30 days/);
    assert.match(section(context({ policy: policy({ retentionDays: 30 }), personalRetentionDays: 7 }), 'storage'), /after 7 days/);
    assert.match(section(context({ policy: policy({ retentionDays: 30 }), personalRetentionDays: 60 }), 'storage'), /after 30 days/);
    assert.match(section(context({ policy: policy({ retentionDays: 1 }) }), 'storage'), /after 1 day\./);
  });

  it('says how to pause, review and delete, and that a policy change asks again', () => {
    const control = section(context(), 'control');
    for (const point of [/pause/, /Review, redact or delete/, /Withdraw consent/, /asked again/, /\.codetrail\.json/]) assert.match(control, point);
  });

  it('titles a changed policy as such; policy warnings are kept', () => {
    assert.match(consentDocument(context()).title, /Let Codetrail record your work in range\?/);
    assert.match(consentDocument(context({ policyChanged: true })).title, /policy of range changed/);
    assert.deepEqual(consentDocument(context({ warnings: ['unknown key "colour"'] })).warnings, ['unknown key "colour"']);
  });

  it('renders as Markdown with one heading per section and one bullet per point, no lazy plurals', () => {
    const doc = consentDocument(context({ warnings: ['unknown key "colour"'] }));
    const md = consentMarkdown(doc);
    assert.equal(md.match(/^## /gm)?.length, doc.sections.length + 1);
    assert.equal(md.match(/^- /gm)?.length, doc.sections.reduce((n, s) => n + s.points.length, 0) + 1);
    assert.doesNotMatch(md, /\(s\)/);
  });
});
