import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig, loadEcharts } from './app/app.config';
import { DatasetService } from './app/data/dataset.service';
import { registerServiceWorker } from './app/shell/register-service-worker';

const app = bootstrapApplication(App, appConfig);
app.catch((error: unknown) => console.error(error));
registerServiceWorker(app.then((ref) => ref.injector.get(DatasetService).started));
// Charts and results need ECharts and Arrow: fetch them while the engine starts, not after it.
void loadEcharts();
void import('apache-arrow');
