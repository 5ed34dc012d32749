import './styles.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';

import { App } from './app/App';
import { SessionProvider } from './app/session';
import { loadWebConfig } from './app/web-config';

const root = createRoot(document.getElementById('root') as HTMLElement);

loadWebConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <BrowserRouter>
          <SessionProvider config={config}>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </StrictMode>,
    ),
  (error: Error) =>
    root.render(
      <main className="page">
        <h1>Pipeline</h1>
        <p role="alert">The dashboard cannot reach the gateway: {error.message}</p>
      </main>,
    ),
);
