import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig, loadEcharts } from './app/app.config';
import { registerServiceWorker } from './app/shell/register-service-worker';

bootstrapApplication(App, appConfig).catch((error: unknown) => console.error(error));
registerServiceWorker();
// Charts and results need ECharts and Arrow: fetch them while the engine starts, not after it.
void loadEcharts();
void import('apache-arrow');
