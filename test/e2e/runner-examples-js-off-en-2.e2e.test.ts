// One of eight files (JavaScript on/off × English/Spanish × two groups of services), so each stays short.
import { describeExampleJourneys } from './runner-journeys.js';

describeExampleJourneys(false, 'en', 2);
