import { render } from 'preact';
import { App } from './app';
import './styles.css';
import './styles/grid-fleet.css';
import './styles/community-market.css';
import './styles/roles-reports.css';
import './styles/standards.css';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
