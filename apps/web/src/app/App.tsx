import { lazy, Suspense, useMemo } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { Provider } from 'urql';

import { Board } from '../screens/board/Board';
import { SignIn } from '../screens/sign-in/SignIn';
import { SignInCallback } from '../screens/sign-in/SignInCallback';
import { UnreadBadge } from '../screens/work/UnreadBadge';
import { createGraphQLClient } from './client';
import { CALLBACK_PATH } from './oidc-paths';
import { seesManagerScreen } from './permissions';
import { useSession } from './session';

// Screens other than the board load on first visit, so the board's JavaScript is all a morning's first page needs.
const Health = lazy(() => import('../screens/health/Health'));
const Leads = lazy(() => import('../screens/leads/Leads'));
const OpportunityPage = lazy(() => import('../screens/opportunity/OpportunityPage'));
const Manager = lazy(() => import('../screens/manager/Manager'));
const MyWork = lazy(() => import('../screens/work/MyWork'));

const ROLE_NAMES = { REP: 'Sales rep', MANAGER: 'Manager', ANALYST: 'Analyst', ADMIN: 'Admin' } as const;

export function App() {
  const { session, signOut } = useSession();
  const location = useLocation();
  const client = useMemo(() => (session ? createGraphQLClient(session.token, signOut) : null), [session, signOut]);

  if (location.pathname === CALLBACK_PATH) return <SignInCallback />;
  if (!session || !client) return <SignIn />;
  const { identity } = session;
  return (
    <Provider value={client}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">Pipeline</span>
        <nav aria-label="Screens">
          <NavLink to="/work">
            My work <UnreadBadge />
          </NavLink>
          <NavLink to="/board">Board</NavLink>
          <NavLink to="/health">Health</NavLink>
          <NavLink to="/leads">Leads</NavLink>
          {seesManagerScreen(identity) && <NavLink to="/manager">Manager</NavLink>}
        </nav>
        <div className="who">
          <span>
            {identity.name}{' '}
            <span className="muted">
              · {identity.roles.map((role) => ROLE_NAMES[role]).join(', ')}
              {identity.teamId ? ` · team ${identity.teamId}` : ''}
            </span>
          </span>
          <button type="button" className="link-button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="page">
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>
          <Routes>
            <Route path="/board" element={<Board />} />
            <Route path="/work" element={<MyWork />} />
            <Route path="/health" element={<Health />} />
            <Route path="/leads" element={<Leads />} />
            <Route path="/leads/:leadId" element={<Leads />} />
            <Route path="/opportunities/:opportunityId" element={<OpportunityPage />} />
            <Route path="/manager" element={seesManagerScreen(identity) ? <Manager /> : <Navigate to="/board" replace />} />
            <Route path="*" element={<Navigate to="/board" replace />} />
          </Routes>
        </Suspense>
      </main>
    </Provider>
  );
}
