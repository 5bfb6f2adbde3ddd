import '@fontsource/ibm-plex-sans-arabic/400.css';
import '@fontsource/ibm-plex-sans-arabic/500.css';
import '@fontsource/ibm-plex-sans-arabic/600.css';
import '@fontsource/ibm-plex-sans-arabic/700.css';
import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { startFirstScreen } from './firstScreen.ts';
import { initI18n } from './i18n/index.ts';

// the first screen's requests go out now; its first frame waits for the session and the page's code, so that it
// shows the page (or the sign-in page) rather than a loader replaced a moment later
const firstScreen = startFirstScreen(window.location);

void Promise.all([initI18n(), firstScreen]).then(() => {
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing from index.html');
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
