import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { SessionProvider, useSession } from '../../app/session';
import { SignIn } from './SignIn';

const b64 = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '');
const token = `${b64({ alg: 'HS256' })}.${b64({ sub: 'r1', roles: ['REP'], teamId: 'north', name: 'Rita Rep', exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;

function WhoAmI() {
  const { session } = useSession();
  return <p>{session ? `signed in as ${session.identity.name}` : 'signed out'}</p>;
}

describe('developer sign-in', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    window.sessionStorage.clear();
  });

  it('lists seeded users by role and signs in with the token the gateway signs for the chosen one', async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/auth/dev/users') {
        return new Response(
          JSON.stringify({
            users: [
              { id: 'r1', name: 'Rita Rep', role: 'REP', teamId: 'north' },
              { id: 'a1', name: 'Ana Analyst', role: 'ANALYST', teamId: null },
            ],
          }),
        );
      }
      expect(JSON.parse(String(init?.body))).toEqual({ userId: 'r1' });
      return new Response(JSON.stringify({ token }));
    });
    vi.stubGlobal('fetch', fetchMock);
    render(
      <SessionProvider config={{ auth: { mode: 'dev' }, liveUpdates: false }}>
        <SignIn />
        <WhoAmI />
      </SessionProvider>,
    );

    await userEvent.click(await screen.findByRole('button', { name: /Rita Rep/ }));

    await waitFor(() => expect(screen.getByText('signed in as Rita Rep')).toBeInTheDocument());
    expect(screen.getByRole('heading', { name: 'Sales reps' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Analysts' })).toBeInTheDocument();
    expect(window.sessionStorage.getItem('pipeline.session.token')).toBe(token);
  });

  it('tells how to get users when the stack has none', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ users: [{ id: 'a2', name: 'Adam Admin', role: 'ADMIN', teamId: null }] }))),
    );
    render(
      <SessionProvider config={{ auth: { mode: 'dev' }, liveUpdates: false }}>
        <SignIn />
      </SessionProvider>,
    );
    expect(await screen.findByText(/npm run seed/)).toBeInTheDocument();
  });
});
