import { provideBrowserGlobalErrorListeners, provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { provideEchartsCore } from 'ngx-echarts';

export const loadEcharts = () => import('./explore/echarts-setup').then((m) => m.echarts);

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    // ECharts is not in the page's first script; it loads while the engine starts (see main.ts).
    provideEchartsCore({ echarts: loadEcharts }),
  ],
};
