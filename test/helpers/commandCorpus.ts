// A generated corpus of command lines, for the command-argument secret rules: secrets given to
// credential-bearing commands or written into secret files, in the idioms of bash, zsh, fish and
// PowerShell, and ordinary command lines (package managers, git, builds, containers, near misses
// such as `psql -p 5432` or `mysql -p` with no value). Generated from templates with a seeded
// random source, so it is the same on every run and holds no third-party text.
export interface CommandSample {
  shell: 'bash' | 'zsh' | 'fish' | 'powershell';
  text: string;
  /** The literal secrets in `text` that must be redacted. */
  secrets: string[];
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const WORDS = ['river', 'Falcon', 'orange', 'Winter', 'maple', 'Copper', 'tiger', 'Silver', 'harbor', 'Quartz', 'lemon', 'Velvet'];
const USERS = ['admin', 'deploy', 'ci', 'jane', 'svc_build', 'root', 'app', 'backup'];
const HOSTS = ['db.internal', '10.0.3.17', 'registry.example.com', 'files.corp.local', 'localhost', 'build-01'];
const DBS = ['shop', 'analytics', 'app_prod', 'inventory'];

class Gen {
  constructor(readonly next: () => number) {}
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  chars(n: number, alphabet = ALNUM): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
  /** A password as people choose them: words, digits, a symbol; or a random string. No vendor prefix. */
  password(): string {
    const r = this.next();
    if (r < 0.35) return `${this.pick(WORDS)}${this.pick(WORDS).toLowerCase()}${Math.floor(this.next() * 9000 + 1000)}${this.pick(['!', '.', '_', '+', ''])}`;
    if (r < 0.7) return this.chars(8 + Math.floor(this.next() * 16), ALNUM + '._+!');
    return this.chars(12 + Math.floor(this.next() * 20));
  }
  token(): string {
    return this.chars(32 + Math.floor(this.next() * 9));
  }
  user(): string {
    return this.pick(USERS);
  }
  host(): string {
    return this.pick(HOSTS);
  }
}

type Template = (g: Gen) => { shell: CommandSample['shell']; text: string; secrets: string[] };

const t =
  (shell: CommandSample['shell'], make: (g: Gen, v: string) => string, value: (g: Gen) => string = (g) => g.password()): Template =>
  (g) => {
    const v = value(g);
    return { shell, text: make(g, v), secrets: [v] };
  };

const tok = (g: Gen) => g.token();

const SECRET_TEMPLATES: Template[] = [
  t('bash', (g, v) => `mysql -u ${g.user()} -p${v} ${g.pick(DBS)}`),
  t('bash', (g, v) => `mysql -h ${g.host()} -u${g.user()} -p'${v}' -e "select count(*) from orders"`),
  t('zsh', (g, v) => `mysqldump -u root -p${v} ${g.pick(DBS)} > dump.sql`),
  t('bash', (g, v) => `mysql --password=${v} -u ${g.user()} ${g.pick(DBS)} < schema.sql`),
  t('bash', (g, v) => `mariadb -u${g.user()} -p"${v}" -h ${g.host()}`),
  t('bash', (g, v) => `sshpass -p '${v}' ssh ${g.user()}@${g.host()}`),
  t('zsh', (g, v) => `sshpass -p${v} scp release.tar.gz ${g.user()}@${g.host()}:/tmp/`),
  t('bash', (g, v) => `docker login -u ${g.user()} -p ${v} ${g.host()}`),
  t('bash', (g, v) => `docker login --username ${g.user()} --password ${v}`),
  t('zsh', (g, v) => `podman login -u ${g.user()} -p '${v}' quay.io`),
  t('bash', (g, v) => `helm registry login ${g.host()} --username ${g.user()} --password ${v}`),
  t('bash', (g, v) => `curl -u ${g.user()}:${v} https://${g.host()}/api/v1/status`),
  t('bash', (g, v) => `curl --user "${g.user()}:${v}" -X POST https://${g.host()}/hooks/build`),
  t('zsh', (g, v) => `curl -s -u${g.user()}:${v} https://${g.host()}/metrics | jq .`),
  t('bash', (g, v) => `wget --user=${g.user()} --password=${v} https://${g.host()}/backup.tgz`),
  t('bash', (_g, v) => `git clone https://${v}@github.com/acme/platform.git`, tok),
  t('bash', (_g, v) => `git remote set-url origin https://${v}@github.com/acme/api.git`, tok),
  t('bash', (g, v) => `git -c http.extraheader="AUTHORIZATION: bearer ${v}" clone https://${g.host()}/acme/tools.git`, tok),
  t(
    'zsh',
    (_g, v) => `git -c http.extraHeader="Authorization: Basic ${v}" fetch origin`,
    (g) => g.chars(28) + '==',
  ),
  t('bash', (_g, v) => `git config --global github.token ${v}`, tok),
  t('bash', (_g, v) => `printf '%s\\n' '${v}' > .env`),
  t('bash', (_g, v) => `printf '${v}' > .env.local`),
  t('zsh', (_g, v) => `echo '${v}' >> .env`),
  t('bash', (_g, v) => `echo -n ${v} > secret.key`),
  t('bash', (_g, v) => `echo "${v}" | tee .env.production`),
  t('zsh', (_g, v) => `echo "${v}" | sudo tee -a /etc/app/token > /dev/null`, tok),
  t('bash', (_g, v) => `printf 'DB_PASS=%s\\n' "${v}" >> .env`),
  t('bash', (_g, v) => `echo "DATABASE_SECRET=${v}" >> .env`, tok),
  t('bash', (g, v) => `echo ${v} | docker login --username ${g.user()} --password-stdin`),
  t('bash', (g, v) => `echo "${g.user()}:${v}" | sudo chpasswd`),
  t('zsh', (_g, v) => `print -r -- ${v} > ~/.config/app/credentials`),
  t('bash', (_g, v) => `cat <<< "${v}" > ~/.vault-token`, tok),
  t('bash', (g, v) => `redis-cli -h ${g.host()} -a ${v} ping`),
  t('bash', (g, v) => `sqlcmd -S ${g.host()} -U sa -P '${v}' -Q "SELECT 1"`),
  t('bash', (_g, v) => `ldapsearch -x -D "cn=admin,dc=example,dc=org" -w ${v} -b "dc=example,dc=org"`),
  t('bash', (_g, v) => `keytool -importcert -file ca.crt -keystore truststore.jks -storepass ${v} -noprompt`),
  t('bash', (_g, v) => `openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.p12 -passout pass:${v}`),
  t('bash', (_g, v) => `openssl enc -aes-256-cbc -salt -in data.tar -out data.enc -k ${v}`),
  t('bash', (_g, v) => `zip -P ${v} backup.zip customers.csv`),
  t('zsh', (_g, v) => `7z a -p${v} archive.7z reports/`),
  t('bash', (_g, v) => `unzip -P ${v} export.zip -d export/`),
  t('bash', (g, v) => `smbclient //${g.host()}/share -U ${g.user()}%${v}`),
  t('bash', (g, v) => `mongosh "mongodb://${g.host()}:27017/admin" -u ${g.user()} -p ${v}`),
  t('bash', (g, v) => `mongodump --username ${g.user()} --password ${v} --db ${g.pick(DBS)}`),
  t('bash', (g, v) => `sqlplus ${g.user()}/${v}@//${g.host()}:1521/ORCL`),
  t('bash', (g, v) => `htpasswd -bc .htpasswd ${g.user()} ${v}`),
  t('bash', (_g, v) => `vault login ${v}`, tok),
  t('bash', (_g, v) => `kubectl create secret generic db-creds --from-literal=dsn=${v} -n prod`),
  t('bash', (g, v) => `kubectl create secret docker-registry regcred --docker-server=${g.host()} --docker-username=${g.user()} --docker-password=${v}`),
  t('bash', (_g, v) => `gh secret set DEPLOY_KEY --body "${v}"`, tok),
  t('bash', (_g, v) => `npm config set //registry.npmjs.org/:_authToken ${v}`, tok),
  t('bash', (_g, v) => `aws configure set aws_secret_access_key ${v}`, tok),
  t('bash', (_g, v) => `gh auth login --with-token <<< ${v}`, tok),
  t(
    'bash',
    (g, v) => `az login --service-principal -u ${g.chars(8, '0123456789abcdef')}-${g.chars(4, '0123456789abcdef')} -p ${v} --tenant contoso.onmicrosoft.com`,
  ),
  t('zsh', (_g, v) => `env DB_PASSWORD=${v} ./scripts/migrate.sh`),
  t('fish', (_g, v) => `set -gx API_TOKEN ${v}`, tok),
  t('fish', (_g, v) => `set -x DB_PASSWORD '${v}'`),
  t('fish', (_g, v) => `set -Ux GITHUB_TOKEN ${v}`, tok),
  t('fish', (_g, v) => `printf '%s' ${v} | tee -a .env`),
  t('fish', (_g, v) => `echo ${v} > .env; and source .env`),
  t('fish', (g, v) => `mysql -u ${g.user()} -p${v}; and echo done`),
  t('fish', (g, v) => `curl -u ${g.user()}:${v} https://${g.host()}/health`),
  t('powershell', (_g, v) => `Set-Content -Path .env -Value "${v}"`),
  t('powershell', (_g, v) => `Add-Content .env "SERVICE_KEY=${v}"`, tok),
  t('powershell', (_g, v) => `"${v}" | Out-File -FilePath .env -Encoding utf8`),
  t('powershell', (_g, v) => `Write-Output '${v}' | Out-File secrets.txt`),
  t('powershell', (_g, v) => `$pw = ConvertTo-SecureString "${v}" -AsPlainText -Force`),
  t('powershell', (_g, v) => `ConvertTo-SecureString -String '${v}' -AsPlainText -Force | Export-Clixml cred.xml`),
  t('powershell', (g, v) => `docker login -u ${g.user()} -p ${v} ${g.host()}`),
  t('powershell', (g, v) => `net user ${g.user()} ${v} /add`),
  t('powershell', (g, v) => `net use \\\\${g.host()}\\share ${v} /user:${g.user()}`),
  t('powershell', (_g, v) => `$env:GITHUB_TOKEN = "${v}"`, tok),
  t('powershell', (_g, v) => `echo ${v} | Set-Content -Path C:\\secrets\\token.txt`, tok),
  t('powershell', (g, v) => `sqlcmd -S ${g.host()} -U sa -P ${v} -i setup.sql`),
];

// ---- ordinary command lines -----------------------------------------------------------------

const PACKAGES = ['react', 'lodash', 'express', 'typescript', 'vitest', 'eslint', 'zod', 'axios', 'prettier', 'webpack', 'jest', 'dayjs'];
const PY = ['requests', 'numpy', 'pandas', 'flask', 'pytest', 'django', 'black', 'ruff', 'httpx', 'pydantic'];
const FILES = [
  'src/index.ts',
  'README.md',
  'package.json',
  'app/main.py',
  'cmd/server/main.go',
  'src/lib.rs',
  'Makefile',
  'docs/setup.md',
  'tests/test_api.py',
  'config/settings.yaml',
];
const BRANCHES = ['main', 'develop', 'feature/login-form', 'fix/null-check', 'release/2.4', 'chore/deps'];
const MESSAGES = ['fix typo in readme', 'add retry to http client', 'bump dependencies', 'refactor parser', 'handle empty input', 'update docs'];
const IMAGES = ['nginx:1.27', 'postgres:16', 'redis:7-alpine', 'node:20-slim', 'python:3.12', 'app:latest'];

const ORDINARY_TEMPLATES: ((g: Gen) => string)[] = [
  (g) => `npm install ${g.pick(PACKAGES)}`,
  (g) => `npm install --save-dev ${g.pick(PACKAGES)}@${Math.floor(g.next() * 9) + 1}.${Math.floor(g.next() * 20)}.0`,
  (g) => `npm run ${g.pick(['build', 'test', 'lint', 'dev', 'start', 'typecheck'])}`,
  (g) => `npx ${g.pick(['tsc --noEmit', 'eslint . --fix', 'prettier --write .', 'vitest run', 'jest --watch'])}`,
  (g) => `yarn add ${g.pick(PACKAGES)}`,
  (g) => `pnpm ${g.pick(['install', 'build', 'test', 'add -D ' + g.pick(PACKAGES)])}`,
  (g) => `pip install ${g.pick(PY)}==${Math.floor(g.next() * 5) + 1}.${Math.floor(g.next() * 10)}`,
  (g) => `python -m ${g.pick(['pytest -x', 'venv .venv', 'pip install -r requirements.txt', 'http.server 8000', 'black .'])}`,
  (g) => `poetry ${g.pick(['install', 'add ' + g.pick(PY), 'run pytest', 'lock'])}`,
  (g) => `cargo ${g.pick(['build --release', 'test', 'clippy -- -D warnings', 'fmt', 'run -- --port 8080'])}`,
  (g) => `go ${g.pick(['test ./...', 'build ./cmd/server', 'mod tidy', 'vet ./...', 'run main.go'])}`,
  (g) => `make ${g.pick(['', '-j8', 'test', 'clean', 'install PREFIX=/usr/local'])}`.trim(),
  (g) =>
    `git ${g.pick(['status', 'diff', 'log --oneline -20', 'pull --rebase', 'push origin ' + g.pick(BRANCHES), 'fetch --all --prune', 'stash', 'stash pop'])}`,
  (g) => `git checkout ${g.pick(['-b ', ''])}${g.pick(BRANCHES)}`,
  (g) => `git commit -m "${g.pick(MESSAGES)}"`,
  (g) => `git add ${g.pick(FILES)}`,
  (g) =>
    `git clone ${g.pick(['https://github.com/acme/platform.git', 'git@github.com:acme/api.git', 'https://gitlab.com/team/tools.git', 'https://bitbucket.org/team/site.git'])}`,
  (g) => `git clone https://${g.pick(['jdoe', 'build', 'git'])}@bitbucket.org/team/repo.git`,
  (g) => `git config --global ${g.pick(['pull.rebase true', 'init.defaultBranch main', 'core.editor vim', 'push.autoSetupRemote true'])}`,
  (g) => `git rebase -i HEAD~${Math.floor(g.next() * 9) + 2}`,
  (g) => `docker build -t ${g.pick(IMAGES)} .`,
  (g) => `docker run --rm -p ${Math.floor(g.next() * 9000) + 1000}:80 ${g.pick(IMAGES)}`,
  (g) => `docker compose ${g.pick(['up -d', 'down', 'logs -f api', 'ps', 'build --no-cache'])}`,
  (g) => `docker exec -it ${g.pick(['api', 'db', 'web'])} ${g.pick(['sh', 'bash', 'psql -U postgres'])}`,
  (g) => `docker login ${g.pick(['', 'ghcr.io', g.host()])}`.trim(),
  (g) => `docker login ${g.host()} -u ${g.user()} --password-stdin < ~/.registry_pw`,
  (g) => `kubectl ${g.pick(['get pods -n default', 'apply -f k8s/', 'logs -f deploy/api', 'describe svc web', 'rollout restart deploy/api'])}`,
  (g) => `kubectl create secret generic app --from-file=./config/${g.pick(['app.yaml', 'creds.json'])}`,
  (g) => `terraform ${g.pick(['init', 'plan -out plan.tfplan', 'apply plan.tfplan', 'fmt -recursive'])}`,
  (g) => `psql -h ${g.host()} -p 5432 -U ${g.user()} -d ${g.pick(DBS)}`,
  (g) => `mysql -u ${g.user()} -p ${g.pick(DBS)}`,
  () => `mysql -uroot -p -h 127.0.0.1`,
  (g) => `ssh -p ${g.pick(['22', '2222', '2200'])} ${g.user()}@${g.host()}`,
  (g) => `scp -P 2222 ${g.pick(FILES)} ${g.user()}@${g.host()}:/srv/`,
  (g) => `rsync -avz -e "ssh -p 22" ./dist/ ${g.user()}@${g.host()}:/var/www/`,
  (g) => `curl -fsSL https://${g.host()}/install.sh | sh`,
  (g) => `curl -X POST -H "Content-Type: application/json" -d '{"name":"${g.pick(WORDS)}"}' https://${g.host()}/api/items`,
  (g) => `curl -u ${g.user()} https://${g.host()}/api`,
  (g) => `curl -o release.tar.gz https://${g.host()}/releases/v${Math.floor(g.next() * 5)}.${Math.floor(g.next() * 10)}.tar.gz`,
  (g) => `wget -q https://${g.host()}/files/data.csv`,
  (g) => `echo "${g.pick(['hello', 'done', 'build finished', 'starting server'])}"`,
  (g) => `echo "${g.pick(['hello', 'ok'])}" > ${g.pick(['out.txt', 'notes.md', 'log/run.log'])}`,
  (g) => `echo $${g.pick(['PATH', 'HOME', 'SHELL', 'NODE_ENV'])}`,
  (g) => `echo "${g.pick(['NODE_ENV=production', 'PORT=3000', 'DEBUG=true', 'LOG_LEVEL=info', 'APP_NAME=shop'])}" >> ${g.pick(['.env', '.env.local'])}`,
  (g) => `printf '%s\\n' "$${g.pick(['API_KEY', 'TOKEN', 'DB_PASSWORD'])}" > .env`,
  (g) => `echo "${g.pick(['API_KEY', 'TOKEN', 'SECRET'])}=$${g.pick(['API_KEY', 'TOKEN', 'SECRET'])}" >> .env`,
  () => `cp .env.example .env`,
  () => `cat .env`,
  () => `echo >> .env`,
  (g) => `printf '%s\\n' ${g.pick(['alpha', 'beta', 'gamma'])} ${g.pick(['one', 'two'])} > list.txt`,
  (g) => `npm test 2>&1 | tee ${g.pick(['test.log', 'build.log'])}`,
  (g) => `ls ${g.pick(['-la', '-lh', '-1', ''])} ${g.pick(['src', '.', 'dist', ''])}`.trim(),
  (g) => `cd ${g.pick(['src', '..', '~/projects/app', 'packages/web'])}`,
  (g) => `grep -rn "${g.pick(['TODO', 'FIXME', 'password', 'token', 'useEffect'])}" ${g.pick(['src', '.', 'lib'])}`,
  (g) => `sed -i 's/${g.pick(WORDS)}/${g.pick(WORDS)}/g' ${g.pick(FILES)}`,
  (g) => `find . -name "*.${g.pick(['ts', 'py', 'go', 'log'])}" -not -path "./node_modules/*"`,
  (g) => `rm -rf ${g.pick(['node_modules', 'dist', 'build', '.cache'])}`,
  (g) => `mkdir -p ${g.pick(['src/components', 'tmp', 'logs'])}`,
  (g) => `chmod ${g.pick(['+x', '600', '755'])} ${g.pick(['scripts/deploy.sh', '.env', 'id_rsa'])}`,
  (g) => `tail -f ${g.pick(['/var/log/syslog', 'logs/app.log'])}`,
  (g) => `ps aux | grep ${g.pick(['node', 'python', 'nginx'])}`,
  (g) => `kill -9 ${Math.floor(g.next() * 90000) + 1000}`,
  (g) => `export ${g.pick(['NODE_ENV=development', 'PATH="$HOME/.local/bin:$PATH"', 'GOFLAGS=-mod=mod', 'DEBUG=app:*'])}`,
  (g) => `source ${g.pick(['.venv/bin/activate', '~/.bashrc', '.env'])}`,
  (g) => `tar -xzf ${g.pick(['release.tar.gz', 'data.tgz'])} -C ${g.pick(['/opt', 'out'])}`,
  (g) => `zip -r ${g.pick(['site.zip', 'dist.zip'])} ${g.pick(['dist/', 'public/'])}`,
  (g) => `unzip ${g.pick(['archive.zip', 'fonts.zip'])} -d ${g.pick(['out', 'vendor'])}`,
  (g) => `7z x ${g.pick(['backup.7z', 'logs.7z'])}`,
  (g) =>
    `openssl ${g.pick(['x509 -in cert.pem -noout -text', 'rand -hex 32', 'req -new -key key.pem -out csr.pem', 'genrsa -out key.pem 4096', 's_client -connect example.com:443'])}`,
  (g) => `keytool -list -keystore ${g.pick(['truststore.jks', 'keystore.p12'])}`,
  (g) => `redis-cli -h ${g.host()} ${g.pick(['ping', 'info', 'monitor'])}`,
  (g) => `sqlcmd -S ${g.host()} -E -Q "SELECT @@VERSION"`,
  (g) => `ldapsearch -x -b "dc=example,dc=org" "(uid=${g.user()})"`,
  (g) => `gh ${g.pick(['pr create --fill', 'pr list', 'secret list', 'auth login', 'auth status', 'run watch'])}`,
  (g) => `vault ${g.pick(['login -method=github', 'kv get secret/app', 'status', 'login -method=oidc'])}`,
  (g) => `npm config set ${g.pick(['registry https://registry.npmjs.org/', 'save-exact true', 'fund false'])}`,
  (g) => `aws ${g.pick(['s3 ls', 'configure set region eu-west-1', 'sts get-caller-identity', 'ecr get-login-password --region us-east-1'])}`,
  (g) => `az ${g.pick(['login', 'account show', 'group list -o table', 'acr login --name myregistry'])}`,
  (g) => `htpasswd -c .htpasswd ${g.user()}`,
  (g) => `mongosh "mongodb://${g.host()}:27017/${g.pick(DBS)}"`,
  (g) => `set ${g.pick(['-e', '-x', '-euo pipefail', '-o vi'])}`,
  (g) => `set -gx ${g.pick(['PATH $PATH ~/.local/bin', 'EDITOR vim', 'NODE_ENV development', 'GOPATH ~/go'])}`,
  (g) => `set -x ${g.pick(['LANG en_US.UTF-8', 'PAGER less'])}`,
  (g) => `${g.pick(['npm run dev', 'cargo test', 'pytest -q'])}; and echo ok; or echo failed`,
  (g) => `Get-ChildItem ${g.pick(['-Recurse', '-Force', ''])} ${g.pick(['src', '.', ''])}`.trim(),
  (g) => `Set-Content -Path ${g.pick(['out.txt', 'notes.md'])} -Value "${g.pick(['hello', 'done'])}"`,
  (g) => `Add-Content -Path .env -Value "${g.pick(['LOG_LEVEL=debug', 'PORT=8080', 'NODE_ENV=test'])}"`,
  (g) => `"${g.pick(['hello', 'build ok'])}" | Out-File ${g.pick(['notes.txt', 'result.log'])}`,
  () => `Get-Content .env`,
  (g) => `$env:${g.pick(['NODE_ENV', 'PORT', 'RUST_LOG'])} = "${g.pick(['production', '8080', 'debug'])}"`,
  (g) => `New-Item -ItemType ${g.pick(['File .env', 'Directory logs'])}`,
  (g) => `Remove-Item -Recurse -Force ${g.pick(['node_modules', 'dist'])}`,
  (g) => `Invoke-WebRequest -Uri https://${g.host()}/setup.ps1 -OutFile setup.ps1`,
  (g) => `Start-Process ${g.pick(['code', 'notepad', 'pwsh'])} ${g.pick(['.', 'README.md'])}`,
  (g) => `net ${g.pick(['start', 'stop'])} ${g.pick(['spooler', 'w32time'])}`,
  (g) => `net user ${g.user()}`,
  (g) => `dotnet ${g.pick(['build', 'test', 'run --project src/Api', 'add package Serilog'])}`,
  (g) => `mvn ${g.pick(['-q test', 'package -DskipTests', 'clean install'])}`,
  (g) => `gradle ${g.pick(['build', 'test --tests "*Parser*"', 'bootRun'])}`,
  (g) => `bundle exec ${g.pick(['rspec', 'rails s -p 3000', 'rake db:migrate'])}`,
  (g) => `brew install ${g.pick(['jq', 'ripgrep', 'fd', 'gh', 'node@20'])}`,
  (g) => `sudo apt-get install -y ${g.pick(['build-essential', 'libpq-dev', 'curl', 'git'])}`,
  (g) => `code ${g.pick(['.', 'src/app.ts', '-r README.md'])}`,
  (g) => `history | grep ${g.pick(['docker', 'git', 'kubectl'])}`,
  (g) => `jq '.${g.pick(['dependencies', 'scripts', 'version'])}' package.json`,
  (g) => `node ${g.pick(['scripts/build.mjs', 'dist/server.js --port 3000', '-e "console.log(process.version)"'])}`,
];

export function commandSecretSamples(seed = 20261202, perTemplate = 4): CommandSample[] {
  const g = new Gen(rng(seed));
  return SECRET_TEMPLATES.flatMap((make) => Array.from({ length: perTemplate }, () => make(g)));
}

export function ordinaryCommands(seed = 7, count = 2400): string[] {
  const g = new Gen(rng(seed));
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = 0; out.length < count && i < count * 50; i++) {
    const line = g.pick(ORDINARY_TEMPLATES)(g);
    if (seen.has(line)) continue;
    seen.add(line);
    out.push(line);
  }
  return out;
}
