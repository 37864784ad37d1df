// One of eight files (JavaScript on/off × English/Spanish × two groups of services), so each stays short.
import { describeExampleJourneys } from './runner-journeys.js';

// On a phone-sized screen: the walk-through of issue 18 found what desktop runs missed.
describeExampleJourneys(true, 'es', 1, { phone: true });
