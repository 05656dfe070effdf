/**
 * The review application: log in, the inbox of cases (filters, search,
 * keyboard triage), a case with its evidence side by side, copies, timeline,
 * notes and decisions (four-eyes), exports and the public report of a period.
 * English and Chinese; the choice is kept in localStorage. Every value from a
 * report is rendered as text; only https addresses become links.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, post, setCsrf, type CaseList, type Session, type StatusAnswer } from './api';
import { CaseScreen } from './CaseScreen';
import { t, initialLang, saveLang, LANGS, CATALOGS, roleName, type Lang } from './i18n';
import { Inbox, type Filters, EMPTY_FILTERS } from './Inbox';
import { Publish } from './Publish';

function route(): { caseId?: number } {
  const m = /^#\/case\/(\d{1,15})$/.exec(location.hash);
  return m ? { caseId: Number(m[1]) } : {};
}

export interface Flash {
  text: string;
  error?: boolean;
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [where, setWhere] = useState(route);
  const [flash, setFlash] = useState<Flash | null>(null);
  const [help, setHelp] = useState(false);
  const [filters, setFilters] = useState<Filters>(EMPTY_FILTERS);
  const [list, setList] = useState<CaseList | null>(null);
  const [selected, setSelected] = useState(0);
  const [caseVersion, setCaseVersion] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-Hans' : 'en';
    document.title = t(lang, 'appTitle');
  }, [lang]);

  useEffect(() => {
    get<Partial<Session>>('/api/session')
      .then((s) => {
        if (s.name && s.csrf) {
          setCsrf(s.csrf);
          setSession(s as Session);
        } else setSession(null);
      })
      .catch(() => setSession(null));
    const onHash = () => setWhere(route());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) {
        setSession(null);
        setFlash({ text: t(lang, 'sessionEnded'), error: true });
      } else setFlash({ text: t(lang, 'errorPrefix', (e as Error).message), error: true });
    },
    [lang],
  );

  const loadList = useCallback(
    async (f: Filters, before?: number) => {
      const q = new URLSearchParams({ limit: '50' });
      for (const [k, v] of Object.entries(f)) if (v) q.set(k, k === 'from' || k === 'to' ? `${v}T00:00:00Z` : v);
      if (before) q.set('before', String(before));
      try {
        const page = await get<CaseList>(`/api/cases?${q}`);
        setList((old) => (before && old ? { ...page, cases: [...old.cases, ...page.cases] } : page));
        if (!before) setSelected(0);
      } catch (e) {
        fail(e);
      }
    },
    [fail],
  );

  useEffect(() => {
    if (session) void loadList(filters);
  }, [session, filters, loadList]);

  const changeLang = (l: Lang) => {
    saveLang(l);
    setLang(l);
  };

  const act = useCallback(
    async (id: number, action: 'confirm' | 'dismiss' | 'reopen', body: Record<string, string> = {}) => {
      try {
        const a = await post<StatusAnswer>(`/api/cases/${id}/${action}`, body);
        setFlash({
          text:
            action === 'confirm'
              ? t(lang, 'confirmedMsg', id, a.confirmations.length, a.needed)
              : action === 'dismiss'
                ? t(lang, 'dismissedMsg', id)
                : t(lang, 'reopenedMsg', id),
        });
        setCaseVersion((v) => v + 1);
        void loadList(filters);
      } catch (e) {
        fail(e);
      }
    },
    [lang, fail, loadList, filters],
  );

  // Triage from the keyboard: j/k move, o (or Enter) opens, c confirms, d dismisses, u goes back, / searches, ? helps.
  // The listener reads the latest state through a ref: re-binding it in an effect after each render left a key
  // pressed right after another (j then o) to a listener that still saw the old selection.
  const latest = useRef({ session, list, selected, where, act, help });
  latest.current = { session, list, selected, where, act, help };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { session, list, selected, where, act, help } = latest.current;
      if (!session || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable)) {
        if (e.key === 'Escape') target.blur();
        return;
      }
      if (e.key === 'Enter' && target && /^(A|BUTTON|SUMMARY)$/.test(target.tagName)) return; // the focused control's own action
      const cases = list?.cases ?? [];
      const current = where.caseId ?? cases[selected]?.id;
      switch (e.key) {
        case 'j':
          if (where.caseId === undefined) setSelected((s) => Math.min(cases.length - 1, s + 1));
          break;
        case 'k':
          if (where.caseId === undefined) setSelected((s) => Math.max(0, s - 1));
          break;
        case 'o':
        case 'Enter':
          if (where.caseId === undefined && cases[selected]) location.hash = `#/case/${cases[selected]!.id}`;
          else return;
          break;
        case 'c':
          if (current !== undefined) void act(current, 'confirm');
          break;
        case 'd':
          if (current !== undefined) void act(current, 'dismiss');
          break;
        case 'u':
        case 'Escape':
          if (help) setHelp(false);
          else if (where.caseId !== undefined) location.hash = '#/';
          break;
        case '/':
          if (where.caseId !== undefined) location.hash = '#/';
          setTimeout(() => searchRef.current?.focus(), 0);
          break;
        case '?':
          setHelp((h) => !h);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  const logout = async () => {
    try {
      await post('/api/logout');
    } catch {}
    setCsrf('');
    setSession(null);
    setList(null);
  };

  return (
    <div class="shell">
      <header class="top">
        <h1>
          <a href="#/">{t(lang, 'appTitle')}</a>
        </h1>
        <div class="top-tools">
          <label class="lang">
            <span>{t(lang, 'language')}</span>
            <select value={lang} onChange={(e) => changeLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
              {LANGS.map((l) => (
                <option key={l} value={l}>
                  {CATALOGS[l].langName}
                </option>
              ))}
            </select>
          </label>
          {session && (
            <>
              <button type="button" class="ghost" onClick={() => setHelp(true)}>
                {t(lang, 'shortcutsButton')}
              </button>
              <span class="who">{t(lang, 'signedInAs', session.name, roleName(lang, session.role))}</span>
              <button type="button" class="ghost" onClick={() => void logout()}>
                {t(lang, 'logout')}
              </button>
            </>
          )}
        </div>
      </header>
      <p class={`flash${flash?.error ? ' error' : ''}`} role="status" aria-live="polite">
        {flash?.text ?? ''}
      </p>
      {session === undefined ? (
        <p class="loading">{t(lang, 'loading')}</p>
      ) : session === null ? (
        <Login
          lang={lang}
          onIn={(s) => {
            setCsrf(s.csrf);
            setSession(s);
            setFlash(null);
          }}
        />
      ) : where.caseId !== undefined ? (
        <CaseScreen lang={lang} id={where.caseId} version={caseVersion} me={session.name} act={act} fail={fail} setFlash={setFlash} bump={() => setCaseVersion((v) => v + 1)} />
      ) : (
        <>
          <Inbox lang={lang} list={list} filters={filters} setFilters={setFilters} selected={selected} setSelected={setSelected} more={() => void loadList(filters, list?.next)} searchRef={searchRef} />
          <Publish lang={lang} />
        </>
      )}
      {help && <Help lang={lang} close={() => setHelp(false)} />}
    </div>
  );
}

function Login({ lang, onIn }: { lang: Lang; onIn: (s: Session) => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      onIn(await post<Session>('/api/login', { name, password }));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <main class="login">
      <form class="card" onSubmit={(e) => void submit(e)}>
        <h2>{t(lang, 'loginTitle')}</h2>
        <label>
          <span>{t(lang, 'loginName')}</span>
          <input name="name" autocomplete="username" required value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          <span>{t(lang, 'loginPassword')}</span>
          <input name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="primary">
          {t(lang, 'loginButton')}
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <p class="hint">{t(lang, 'loginHint')}</p>
      </form>
    </main>
  );
}

function Help({ lang, close }: { lang: Lang; close: () => void }) {
  const keys: Array<[string, Parameters<typeof t>[1]]> = [
    ['j', 'keyJ'],
    ['k', 'keyK'],
    ['o / Enter', 'keyO'],
    ['c', 'keyC'],
    ['d', 'keyD'],
    ['u / Esc', 'keyU'],
    ['/', 'keySlash'],
    ['?', 'keyHelp'],
  ];
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div class="overlay" onClick={close}>
      <div class="card help" role="dialog" aria-modal="true" aria-labelledby="help-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">{t(lang, 'shortcuts')}</h2>
        <dl>
          {keys.map(([k, d]) => (
            <div key={k}>
              <dt>
                {k.split(' / ').map((x, i) => (
                  <>
                    {i > 0 && ' / '}
                    <kbd>{x}</kbd>
                  </>
                ))}
              </dt>
              <dd>{t(lang, d)}</dd>
            </div>
          ))}
        </dl>
        <button type="button" ref={ref} onClick={close}>
          {t(lang, 'close')}
        </button>
      </div>
    </div>
  );
}
