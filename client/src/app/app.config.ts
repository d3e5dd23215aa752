import { provideBrowserGlobalErrorListeners, provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { provideEchartsCore } from 'ngx-echarts';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    // ECharts loads with the first chart, not with the page.
    provideEchartsCore({ echarts: () => import('./explore/echarts-setup').then((m) => m.echarts) }),
  ],
};
