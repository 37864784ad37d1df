import { SYSTEM_ACTOR } from '../platform/audit.js';
import { findAgency } from '../platform/agencies.js';
import type { Platform } from '../platform/platform.js';
import { createService, publish, submitForReview } from './editing.js';
import { serviceSlugTaken } from './repo.js';
import type { Channel, ServiceContentInput } from './model.js';

interface DemoService {
  slug: string;
  agency: 'social-development' | 'civil-registry' | 'health' | 'labour' | 'riverside';
  status?: 'draft' | 'in_review' | 'published';
  content: ServiceContentInput;
}

const online = (how: string, howEs: string): Channel => ({ kind: 'online', how, howEs });
const phone = (how: string, howEs: string): Channel => ({ kind: 'phone', how, howEs });
const inPerson = (how: string, howEs: string): Channel => ({ kind: 'in_person', how, howEs });
const kiosk = (how: string, howEs: string): Channel => ({ kind: 'kiosk', how, howEs });
const mobileOffice = (how: string, howEs: string): Channel => ({ kind: 'mobile_office', how, howEs });
const post = (how: string, howEs: string): Channel => ({ kind: 'post', how, howEs });

const CALL_CENTRE = phone('Call 600 440 0000, Monday to Friday, 8am to 8pm.', 'Llame al 600 440 0000, de lunes a viernes, de 8:00 a 20:00.');
const ANY_OFFICE = inPerson('Go to any one-stop-shop office. You do not need an appointment.', 'Vaya a cualquier sucursal de atención. No necesita hora.');
const REGISTRY_OFFICE = inPerson('Go to any civil registry office with your identity card.', 'Vaya a cualquier oficina del Registro Civil con su cédula de identidad.');
const FREE = { fees: 'Free', feesEs: 'Gratis' };
const ID_CARD = { documents: ['Your identity card'], documentsEs: ['Su cédula de identidad'] };

/**
 * The demo register: services a citizen meets across life events, written for Plaza from the kinds of
 * service described in the OECD review of ChileAtiende and the Ash Center's crisis-service examples.
 */
export const DEMO_SERVICES: DemoService[] = [
  // Having a baby
  { slug: 'register-a-birth', agency: 'civil-registry', content: {
    name: 'Register a birth', nameEs: 'Inscribir un nacimiento',
    summary: 'Register your baby’s birth so they get an identity number and a birth certificate. Do it within 60 days.',
    summaryEs: 'Inscriba el nacimiento de su hijo o hija para que reciba un número de identidad y un certificado de nacimiento. Hágalo dentro de 60 días.',
    lifeEvents: ['having-a-baby'], topics: ['identity-and-documents', 'families'], channels: [inPerson('Go to any civil registry office, or to the registry desk on the maternity ward of most public hospitals.', 'Vaya a cualquier oficina del Registro Civil, o al módulo del Registro Civil en la maternidad de la mayoría de los hospitales públicos.')],
    digitalisationLevel: 'information', ...FREE, documents: ['The birth record from the hospital', 'Both parents’ identity cards'], documentsEs: ['El comprobante de parto del hospital', 'Las cédulas de identidad de ambos padres'],
    timeToDecision: 'The same day', timeToDecisionEs: 'El mismo día', legalBasis: 'Civil Registry Act, article 28', ownerName: 'Marta Fuentes', ownerContact: 'births@registry.example.gov', keywords: ['newborn', 'recién nacido', 'inscripción'] } },
  { slug: 'birth-certificate', agency: 'civil-registry', content: {
    name: 'Get a birth certificate', nameEs: 'Obtener un certificado de nacimiento',
    summary: 'Download a certified copy of a birth certificate for school, benefits or a passport.',
    summaryEs: 'Descargue una copia certificada de un certificado de nacimiento para el colegio, beneficios o el pasaporte.',
    lifeEvents: ['having-a-baby', 'growing-up-and-school'], topics: ['identity-and-documents'],
    channels: [online('Download it straight away; it carries a code anyone can check.', 'Descárguelo al instante; lleva un código que cualquiera puede verificar.'), kiosk('Print it at a self-service kiosk in registry offices and some shopping centres.', 'Imprímalo en un tótem de autoatención en oficinas del Registro Civil y algunos centros comerciales.'), REGISTRY_OFFICE],
    digitalisationLevel: 'end_to_end', signInNeeded: false, ...FREE, documents: ['The person’s identity number'], documentsEs: ['El número de identidad de la persona'],
    timeToDecision: 'Straight away', timeToDecisionEs: 'Al instante', legalBasis: 'Civil Registry Act, article 31', startUrl: 'https://registry.example.gov/certificates/birth', ownerName: 'Marta Fuentes', ownerContact: 'certificates@registry.example.gov', keywords: ['certificate', 'partida'] } },
  { slug: 'pregnancy-check-ups', agency: 'health', content: {
    name: 'Free pregnancy check-ups', nameEs: 'Controles de embarazo gratuitos',
    summary: 'See a midwife for free check-ups during your pregnancy at your local health centre.',
    summaryEs: 'Atiéndase gratis con una matrona durante su embarazo en su centro de salud.',
    lifeEvents: ['having-a-baby'], topics: ['health-and-care', 'families'], channels: [inPerson('Go to your local health centre to register the pregnancy and book your first visit.', 'Vaya a su centro de salud para inscribir el embarazo y pedir su primer control.'), CALL_CENTRE],
    digitalisationLevel: 'information', ...FREE, ...ID_CARD, timeToDecision: 'First visit within 2 weeks', timeToDecisionEs: 'Primer control dentro de 2 semanas', legalBasis: 'Health Guarantees Act', ownerName: 'Dr Ana Rojas', ownerContact: 'maternity@health.example.gov', keywords: ['pregnant', 'embarazada', 'matrona', 'midwife'] } },
  { slug: 'child-benefit', agency: 'social-development', content: {
    name: 'Claim the family allowance', nameEs: 'Solicitar la asignación familiar',
    summary: 'A monthly payment for each child under 18 (or under 24 in education) in lower-income households.',
    summaryEs: 'Un pago mensual por cada hijo menor de 18 años (o de 24 si estudia) en hogares de menores ingresos.',
    lifeEvents: ['having-a-baby', 'growing-up-and-school'], topics: ['benefits-and-support', 'families'],
    channels: [online('Apply with your digital identity; we check your household record for you.', 'Postule con su identidad digital; revisamos su registro social de hogares por usted.'), ANY_OFFICE, CALL_CENTRE],
    digitalisationLevel: 'online_application', signInNeeded: true, ...FREE, documents: ['Your identity card', 'Your children’s birth certificates (we fetch them if born here)'], documentsEs: ['Su cédula de identidad', 'Los certificados de nacimiento de sus hijos (los obtenemos si nacieron aquí)'],
    timeToDecision: 'Up to 30 days', timeToDecisionEs: 'Hasta 30 días', legalBasis: 'Family Allowance Act 18.020', startUrl: 'https://social.example.gov/family-allowance/apply', ownerName: 'Pedro Silva', ownerContact: 'family.allowance@social.example.gov', keywords: ['child benefit', 'subsidio familiar', 'children'] } },
  { slug: 'maternity-leave-pay', agency: 'health', content: {
    name: 'Get paid during maternity leave', nameEs: 'Cobrar el subsidio de pre y posnatal',
    summary: 'If you work, you are paid while on maternity leave: 6 weeks before the birth and 24 weeks after.',
    summaryEs: 'Si trabaja, recibe un pago durante su permiso: 6 semanas antes del parto y 24 semanas después.',
    lifeEvents: ['having-a-baby'], topics: ['health-and-care', 'work-and-employment', 'families'],
    channels: [online('Your doctor sends the leave certificate online; your employer adds your pay details.', 'Su médico envía la licencia en línea; su empleador agrega sus datos de remuneración.'), CALL_CENTRE],
    digitalisationLevel: 'end_to_end', signInNeeded: true, ...FREE, documents: ['The maternity leave certificate from your doctor or midwife'], documentsEs: ['La licencia maternal de su médico o matrona'],
    timeToDecision: 'Paid within 10 working days', timeToDecisionEs: 'Pago dentro de 10 días hábiles', legalBasis: 'Labour Code, articles 195 to 198', startUrl: 'https://health.example.gov/leave', ownerName: 'Carla Muñoz', ownerContact: 'leave@health.example.gov', keywords: ['postnatal', 'prenatal', 'baby leave'] } },
  // Growing up and school
  { slug: 'school-enrolment', agency: 'riverside', content: {
    name: 'Apply for a school place', nameEs: 'Postular a un colegio',
    summary: 'Apply for a place at a public school in Riverside for children aged 4 to 17. Rank up to 5 schools.',
    summaryEs: 'Postule a un cupo en un colegio público de Riverside para niños de 4 a 17 años. Ordene hasta 5 colegios.',
    lifeEvents: ['growing-up-and-school', 'moving-home'], topics: ['education-and-learning', 'families'],
    channels: [online('Apply online between August and September for the next school year.', 'Postule en línea entre agosto y septiembre para el año escolar siguiente.'), inPerson('The town hall education desk helps if you cannot apply online.', 'La oficina de educación de la municipalidad le ayuda si no puede postular en línea.')],
    digitalisationLevel: 'online_application', signInNeeded: true, ...FREE, documents: ['Your child’s birth certificate', 'Proof of address'], documentsEs: ['Certificado de nacimiento de su hijo o hija', 'Comprobante de domicilio'],
    timeToDecision: 'Results in November', timeToDecisionEs: 'Resultados en noviembre', legalBasis: 'School Inclusion Act 20.845', startUrl: 'https://riverside.example.gov/schools/apply', ownerName: 'Luis Herrera', ownerContact: 'education@riverside.example.gov', keywords: ['school admission', 'admisión escolar', 'matrícula'] } },
  { slug: 'free-school-meals', agency: 'social-development', content: {
    name: 'Free school meals', nameEs: 'Alimentación escolar gratuita',
    summary: 'Children in lower-income households get breakfast and lunch at school for free. Most families are enrolled automatically.',
    summaryEs: 'Los niños de hogares de menores ingresos reciben desayuno y almuerzo gratis en el colegio. La mayoría de las familias queda inscrita automáticamente.',
    lifeEvents: ['growing-up-and-school'], topics: ['benefits-and-support', 'education-and-learning', 'families'],
    channels: [inPerson('If your child is not enrolled, ask the school’s welfare officer.', 'Si su hijo no está inscrito, consulte con el encargado de bienestar del colegio.')],
    digitalisationLevel: 'proactive', ...FREE, documents: [], documentsEs: [], timeToDecision: 'From the start of term', timeToDecisionEs: 'Desde el inicio del semestre',
    legalBasis: 'School Meals Programme decree', ownerName: 'Rosa Díaz', ownerContact: 'meals@social.example.gov', keywords: ['lunch', 'almuerzo', 'comida'] } },
  { slug: 'student-grant', agency: 'social-development', content: {
    name: 'Apply for a higher-education grant', nameEs: 'Postular a una beca de educación superior',
    summary: 'Grants that cover tuition at university or technical college for students from lower-income households.',
    summaryEs: 'Becas que cubren el arancel en la universidad o el instituto técnico para estudiantes de hogares de menores ingresos.',
    lifeEvents: ['growing-up-and-school'], topics: ['education-and-learning', 'benefits-and-support'],
    channels: [online('Fill in the one student support form online between October and November.', 'Complete el formulario único de acreditación socioeconómica en línea entre octubre y noviembre.'), CALL_CENTRE],
    digitalisationLevel: 'online_application', signInNeeded: true, ...FREE, documents: ['Your identity card', 'Your household’s income for the last 12 months'], documentsEs: ['Su cédula de identidad', 'Los ingresos de su hogar de los últimos 12 meses'],
    timeToDecision: 'Results in February', timeToDecisionEs: 'Resultados en febrero', legalBasis: 'Higher Education Act 21.091', startUrl: 'https://social.example.gov/grants', ownerName: 'Tomás Reyes', ownerContact: 'grants@social.example.gov', keywords: ['scholarship', 'beca', 'university', 'gratuidad'] } },
  // Looking for work
  { slug: 'unemployment-insurance-claim', agency: 'labour', content: {
    name: 'Claim unemployment insurance', nameEs: 'Cobrar el seguro de cesantía',
    summary: 'If you lose your job, claim monthly payments from your unemployment insurance account.',
    summaryEs: 'Si pierde su trabajo, cobre pagos mensuales de su cuenta del seguro de cesantía.',
    lifeEvents: ['looking-for-work'], topics: ['work-and-employment', 'benefits-and-support'],
    channels: [online('Claim online with your digital identity and your termination letter.', 'Solicítelo en línea con su identidad digital y su carta de despido.'), inPerson('Go to a Labour Directorate office.', 'Vaya a una oficina de la Dirección del Trabajo.'), CALL_CENTRE],
    digitalisationLevel: 'end_to_end', signInNeeded: true, ...FREE, documents: ['Your termination letter or settlement', 'Your identity card'], documentsEs: ['Su carta de despido o finiquito', 'Su cédula de identidad'],
    timeToDecision: 'First payment within 10 working days', timeToDecisionEs: 'Primer pago dentro de 10 días hábiles', legalBasis: 'Unemployment Insurance Act 19.728', startUrl: 'https://labour.example.gov/unemployment/claim', ownerName: 'Jorge Castro', ownerContact: 'unemployment@labour.example.gov', keywords: ['jobless', 'desempleo', 'cesantía', 'redundancy'] } },
  { slug: 'find-a-job', agency: 'labour', content: {
    name: 'Find a job through the public employment service', nameEs: 'Buscar trabajo en la bolsa nacional de empleo',
    summary: 'Search vacancies, get help with your CV and interviews, and be matched with employers.',
    summaryEs: 'Busque ofertas, reciba ayuda con su currículum y entrevistas, y sea contactado por empleadores.',
    lifeEvents: ['looking-for-work'], topics: ['work-and-employment'],
    channels: [online('Create a profile and apply for vacancies online.', 'Cree un perfil y postule a ofertas en línea.'), inPerson('Your municipality’s job office gives one-to-one advice.', 'La oficina municipal de empleo le asesora personalmente.'), mobileOffice('The job bus visits rural areas every month.', 'El bus del empleo visita las zonas rurales cada mes.')],
    digitalisationLevel: 'online_application', signInNeeded: true, ...FREE, documents: ['Your CV, if you have one'], documentsEs: ['Su currículum, si lo tiene'],
    timeToDecision: 'Straight away', timeToDecisionEs: 'Al instante', legalBasis: 'Employment Training Act 19.518', startUrl: 'https://labour.example.gov/jobs', ownerName: 'Paula Vega', ownerContact: 'jobs@labour.example.gov', keywords: ['vacancies', 'empleo', 'work', 'bolsa de trabajo'] } },
  { slug: 'training-vouchers', agency: 'labour', status: 'draft', content: {
    name: 'Training vouchers for jobseekers', nameEs: 'Becas de capacitación para personas que buscan empleo',
    summary: 'Free courses that lead to a recognised qualification, with a daily allowance for travel and meals.',
    summaryEs: 'Cursos gratuitos que entregan una certificación reconocida, con un subsidio diario de movilización y alimentación.',
    lifeEvents: ['looking-for-work'], topics: ['work-and-employment', 'education-and-learning'],
    channels: [online('Choose a course and apply online.', 'Elija un curso y postule en línea.')],
    digitalisationLevel: 'online_application', signInNeeded: true, ...FREE, ...ID_CARD, timeToDecision: 'Up to 15 days', timeToDecisionEs: 'Hasta 15 días',
    legalBasis: 'Employment Training Act 19.518', ownerName: 'Paula Vega', ownerContact: 'training@labour.example.gov', keywords: ['course', 'curso', 'capacitación'] } },
  { slug: 'workplace-complaint', agency: 'labour', content: {
    name: 'Report a problem at work', nameEs: 'Denunciar un problema en el trabajo',
    summary: 'Tell us if your employer does not pay you, makes you work unsafe hours or does not pay your pension contributions.',
    summaryEs: 'Avísenos si su empleador no le paga, le hace trabajar en horarios inseguros o no paga sus cotizaciones.',
    lifeEvents: ['looking-for-work'], topics: ['work-and-employment'],
    channels: [online('Report it online; you can ask us to keep your name from your employer.', 'Denuncie en línea; puede pedir que su nombre no se informe a su empleador.'), inPerson('Go to a Labour Directorate office.', 'Vaya a una oficina de la Dirección del Trabajo.'), CALL_CENTRE],
    digitalisationLevel: 'end_to_end', signInNeeded: true, ...FREE, documents: ['Payslips or your contract, if you have them'], documentsEs: ['Liquidaciones de sueldo o su contrato, si los tiene'],
    timeToDecision: 'An inspector contacts you within 20 working days', timeToDecisionEs: 'Un fiscalizador le contacta dentro de 20 días hábiles', legalBasis: 'Labour Code, article 476', startUrl: 'https://labour.example.gov/complaints', ownerName: 'Jorge Castro', ownerContact: 'inspections@labour.example.gov', keywords: ['complaint', 'denuncia', 'unpaid wages', 'employer'] } },
  // Starting a business
  { slug: 'register-as-an-employer', agency: 'labour', content: {
    name: 'Register as an employer', nameEs: 'Registrarse como empleador',
    summary: 'Register before you take on your first employee, so you can sign contracts and pay contributions.',
    summaryEs: 'Regístrese antes de contratar a su primer trabajador, para firmar contratos y pagar cotizaciones.',
    lifeEvents: ['starting-a-business'], topics: ['business-and-self-employment', 'work-and-employment'], audience: ['businesses'],
    channels: [online('Register online with your company’s digital identity.', 'Regístrese en línea con la identidad digital de su empresa.')],
    digitalisationLevel: 'end_to_end', signInNeeded: true, ...FREE, documents: ['Your company’s tax number'], documentsEs: ['El RUT de su empresa'],
    timeToDecision: 'Straight away', timeToDecisionEs: 'Al instante', legalBasis: 'Labour Code, article 9', startUrl: 'https://labour.example.gov/employers/register', ownerName: 'Sofía Lagos', ownerContact: 'employers@labour.example.gov', keywords: ['employer', 'empresa', 'hire', 'contratar'] } },
  { slug: 'business-licence', agency: 'riverside', content: {
    name: 'Get a business licence', nameEs: 'Obtener la patente comercial',
    summary: 'You need a licence from the municipality to open a shop, office or workshop in Riverside.',
    summaryEs: 'Necesita una patente municipal para abrir un local, oficina o taller en Riverside.',
    lifeEvents: ['starting-a-business'], topics: ['business-and-self-employment', 'housing-and-local-services'], audience: ['businesses'],
    channels: [online('Apply online and upload your documents.', 'Postule en línea y suba sus documentos.'), inPerson('Go to the town hall licensing desk, Monday to Friday, 9am to 2pm.', 'Vaya a la oficina de patentes de la municipalidad, de lunes a viernes, de 9:00 a 14:00.')],
    digitalisationLevel: 'online_application', signInNeeded: true, fees: 'Between 0.25% and 0.5% of your business’s capital each year', feesEs: 'Entre 0,25% y 0,5% del capital de su negocio cada año',
    documents: ['Your company’s tax registration', 'Proof you may use the premises', 'Health permit, for food businesses'], documentsEs: ['Inicio de actividades ante el servicio de impuestos', 'Acreditación del uso del local', 'Permiso sanitario, para negocios de alimentos'],
    timeToDecision: 'Up to 15 working days', timeToDecisionEs: 'Hasta 15 días hábiles', legalBasis: 'Municipal Revenue Act, article 23', startUrl: 'https://riverside.example.gov/licences', ownerName: 'Diego Morales', ownerContact: 'licences@riverside.example.gov', keywords: ['patente', 'shop', 'permit', 'local'] } },
  { slug: 'food-business-health-permit', agency: 'health', content: {
    name: 'Get a health permit for a food business', nameEs: 'Obtener la autorización sanitaria para un negocio de alimentos',
    summary: 'Restaurants, bakeries and food stalls need a health permit before they open.',
    summaryEs: 'Restaurantes, panaderías y puestos de comida necesitan una autorización sanitaria antes de abrir.',
    lifeEvents: ['starting-a-business'], topics: ['business-and-self-employment', 'health-and-care'], audience: ['businesses'],
    channels: [online('Apply online; an inspector visits before the permit is granted.', 'Solicítela en línea; un fiscalizador visita el local antes de otorgarla.'), inPerson('Go to the regional health office.', 'Vaya a la oficina regional de salud.')],
    digitalisationLevel: 'online_application', signInNeeded: true, fees: 'From 1 to 3 monthly tax units, depending on the size of the premises', feesEs: 'De 1 a 3 UTM, según el tamaño del local',
    documents: ['A plan of the premises', 'Proof of drinking water and sewage connection'], documentsEs: ['Un plano del local', 'Certificado de agua potable y alcantarillado'],
    timeToDecision: 'Up to 30 working days', timeToDecisionEs: 'Hasta 30 días hábiles', legalBasis: 'Food Health Regulations, decree 977', startUrl: 'https://health.example.gov/food-permits', ownerName: 'Dr Ana Rojas', ownerContact: 'food@health.example.gov', keywords: ['restaurant', 'restaurante', 'food', 'sanitary'] } },
  // Moving home
  { slug: 'tell-us-once-change-of-address', agency: 'civil-registry', content: {
    name: 'Tell us once about a change of address', nameEs: 'Avise una sola vez su cambio de domicilio',
    summary: 'Tell the government your new address once. We pass it on to the health service, benefits, your municipality and the electoral register.',
    summaryEs: 'Informe su nuevo domicilio una sola vez. Lo comunicamos al servicio de salud, a los beneficios, a su municipalidad y al registro electoral.',
    lifeEvents: ['moving-home'], topics: ['identity-and-documents', 'housing-and-local-services'],
    channels: [online('Tell us online in about 5 minutes; you choose which services we tell.', 'Avise en línea en unos 5 minutos; usted elige a qué servicios informamos.'), REGISTRY_OFFICE],
    digitalisationLevel: 'end_to_end', signInNeeded: false, ...FREE, documents: ['Your new address and the date you moved'], documentsEs: ['Su nuevo domicilio y la fecha en que se cambió'],
    timeToDecision: 'Services are told within 2 working days', timeToDecisionEs: 'Los servicios son informados dentro de 2 días hábiles', legalBasis: 'Digital Transformation of the State Act 21.180', startUrl: '/apply/tell-us-once-change-of-address', ownerName: 'Marta Fuentes', ownerContact: 'tellusonce@registry.example.gov', keywords: ['new address', 'domicilio', 'move house', 'mudanza', 'tell us once'] } },
  { slug: 'housing-support-application', agency: 'riverside', content: {
    name: 'Apply for help with housing', nameEs: 'Postular a apoyo para la vivienda',
    summary: 'Help to pay the rent or to fix an unsafe home, for households on low incomes in Riverside.',
    summaryEs: 'Apoyo para pagar el arriendo o reparar una vivienda insegura, para hogares de bajos ingresos en Riverside.',
    lifeEvents: ['moving-home'], topics: ['housing-and-local-services', 'benefits-and-support'],
    channels: [online('Apply online and upload your rental contract.', 'Postule en línea y suba su contrato de arriendo.'), inPerson('The town hall housing office helps you apply.', 'La oficina de vivienda de la municipalidad le ayuda a postular.'), mobileOffice('The mobile office visits each neighbourhood once a month.', 'La oficina móvil visita cada barrio una vez al mes.')],
    digitalisationLevel: 'online_application', signInNeeded: false, ...FREE, documents: ['Your rental contract or proof of ownership', 'Your household’s income for the last 3 months'], documentsEs: ['Su contrato de arriendo o acreditación de propiedad', 'Los ingresos de su hogar de los últimos 3 meses'],
    timeToDecision: 'Up to 45 days', timeToDecisionEs: 'Hasta 45 días', legalBasis: 'Rent Subsidy decree 52', startUrl: '/apply/housing-support-application', ownerName: 'Elena Paredes', ownerContact: 'housing@riverside.example.gov', keywords: ['rent', 'arriendo', 'subsidio habitacional', 'home repairs'] } },
  { slug: 'waste-collection', agency: 'riverside', content: {
    name: 'Ask for a bulky waste collection', nameEs: 'Solicitar retiro de residuos voluminosos',
    summary: 'We collect furniture, mattresses and appliances from your door for free, twice a year.',
    summaryEs: 'Retiramos muebles, colchones y electrodomésticos en su puerta gratis, dos veces al año.',
    lifeEvents: ['moving-home'], topics: ['housing-and-local-services'],
    channels: [online('Book a collection date online.', 'Reserve una fecha de retiro en línea.'), phone('Call the town hall on 800 100 200.', 'Llame a la municipalidad al 800 100 200.')],
    digitalisationLevel: 'end_to_end', ...FREE, documents: [], documentsEs: [], timeToDecision: 'Collection within 10 days', timeToDecisionEs: 'Retiro dentro de 10 días',
    legalBasis: 'Riverside Cleanliness By-law', startUrl: 'https://riverside.example.gov/bulky-waste', ownerName: 'Diego Morales', ownerContact: 'waste@riverside.example.gov', keywords: ['rubbish', 'basura', 'furniture', 'muebles'] } },
  { slug: 'residents-parking-permit', agency: 'riverside', status: 'in_review', content: {
    name: 'Get a residents’ parking permit', nameEs: 'Obtener un permiso de estacionamiento para residentes',
    summary: 'Park near your home in Riverside’s controlled zones.',
    summaryEs: 'Estacione cerca de su casa en las zonas reguladas de Riverside.',
    lifeEvents: ['moving-home'], topics: ['housing-and-local-services'],
    channels: [online('Apply online with your vehicle registration.', 'Postule en línea con el padrón de su vehículo.')],
    digitalisationLevel: 'online_application', signInNeeded: true, fees: '12,000 pesos a year', feesEs: '12.000 pesos al año',
    documents: ['Your vehicle registration', 'Proof of address'], documentsEs: ['El padrón de su vehículo', 'Comprobante de domicilio'],
    timeToDecision: 'Up to 5 working days', timeToDecisionEs: 'Hasta 5 días hábiles', legalBasis: 'Riverside Parking By-law', startUrl: 'https://riverside.example.gov/parking', ownerName: 'Diego Morales', ownerContact: 'parking@riverside.example.gov', keywords: ['car', 'auto', 'parking'] } },
  { slug: 'driving-licence', agency: 'riverside', content: {
    name: 'Get or renew a driving licence', nameEs: 'Obtener o renovar la licencia de conducir',
    summary: 'Take the theory, practical and eyesight tests at the town hall to get or renew your driving licence.',
    summaryEs: 'Rinda los exámenes teórico, práctico y de visión en la municipalidad para obtener o renovar su licencia.',
    lifeEvents: ['moving-home'], topics: ['identity-and-documents', 'housing-and-local-services'],
    channels: [online('Book your test online.', 'Reserve su examen en línea.'), inPerson('Take the tests at the town hall’s licensing centre.', 'Rinda los exámenes en el departamento de tránsito de la municipalidad.')],
    digitalisationLevel: 'information', signInNeeded: false, fees: 'About 30,000 pesos, depending on the class of licence', feesEs: 'Alrededor de 30.000 pesos, según la clase de licencia',
    documents: ['Your identity card', 'A certificate of your driving course, for a first licence'], documentsEs: ['Su cédula de identidad', 'Certificado de escuela de conductores, para la primera licencia'],
    timeToDecision: 'The same day if you pass', timeToDecisionEs: 'El mismo día si aprueba', legalBasis: 'Traffic Act 18.290', ownerName: 'Diego Morales', ownerContact: 'transit@riverside.example.gov', keywords: ['driver', 'licencia', 'car', 'conducir'] } },
  // Living with a disability
  { slug: 'disability-certificate', agency: 'health', content: {
    name: 'Apply for a disability certificate', nameEs: 'Solicitar la calificación de discapacidad',
    summary: 'A medical panel assesses your disability. The certificate gives you access to benefits, transport discounts and adapted jobs.',
    summaryEs: 'Una comisión médica evalúa su discapacidad. El certificado le da acceso a beneficios, descuentos en transporte y empleos adaptados.',
    lifeEvents: ['living-with-a-disability'], topics: ['health-and-care', 'benefits-and-support', 'identity-and-documents'],
    channels: [online('Apply online; we ask your doctors for your medical reports.', 'Postule en línea; pedimos sus informes a sus médicos.'), inPerson('Your local health centre helps you apply.', 'Su centro de salud le ayuda a postular.'), post('Send the form to the Medical Assessment Panel, PO Box 1200.', 'Envíe el formulario a la Comisión de Medicina Preventiva e Invalidez, Casilla 1200.')],
    digitalisationLevel: 'online_application', signInNeeded: false, ...FREE, documents: ['Your identity card', 'Medical reports from the last 12 months, if you have them'], documentsEs: ['Su cédula de identidad', 'Informes médicos de los últimos 12 meses, si los tiene'],
    timeToDecision: 'Up to 60 days', timeToDecisionEs: 'Hasta 60 días', legalBasis: 'Inclusion of People with Disabilities Act 20.422', startUrl: '/apply/disability-certificate', ownerName: 'Dr Ana Rojas', ownerContact: 'disability@health.example.gov', keywords: ['disabled', 'discapacidad', 'credencial', 'impairment'] } },
  { slug: 'disability-allowance', agency: 'social-development', content: {
    name: 'Claim the disability allowance', nameEs: 'Solicitar la pensión básica de invalidez',
    summary: 'A monthly payment for people aged 18 to 64 who cannot work because of a disability.',
    summaryEs: 'Un pago mensual para personas de 18 a 64 años que no pueden trabajar debido a una discapacidad.',
    lifeEvents: ['living-with-a-disability'], topics: ['benefits-and-support'],
    channels: [ANY_OFFICE, CALL_CENTRE, mobileOffice('Ask the mobile office when it visits your area.', 'Consulte en la oficina móvil cuando visite su sector.')],
    digitalisationLevel: 'downloadable_form', signInNeeded: false, ...FREE, documents: ['Your disability certificate', 'Your identity card'], documentsEs: ['Su certificado de discapacidad', 'Su cédula de identidad'],
    timeToDecision: 'Up to 90 days', timeToDecisionEs: 'Hasta 90 días', legalBasis: 'Pensions Reform Act 20.255', ownerName: 'Pedro Silva', ownerContact: 'pensions@social.example.gov', keywords: ['invalidez', 'disabled', 'pension'] } },
  { slug: 'accessible-transport-pass', agency: 'riverside', content: {
    name: 'Get an accessible transport pass', nameEs: 'Obtener el pase de transporte accesible',
    summary: 'Free bus travel in Riverside for disabled people and a companion.',
    summaryEs: 'Viajes gratuitos en bus en Riverside para personas con discapacidad y un acompañante.',
    lifeEvents: ['living-with-a-disability'], topics: ['housing-and-local-services', 'benefits-and-support'],
    channels: [inPerson('Bring your documents to the town hall disability office.', 'Lleve sus documentos a la oficina de discapacidad de la municipalidad.'), post('Post copies of your documents to Riverside Town Hall, 1 Main Square.', 'Envíe copias de sus documentos a la Municipalidad de Riverside, Plaza Mayor 1.')],
    digitalisationLevel: 'downloadable_form', ...FREE, documents: ['Your disability certificate', 'A recent photo'], documentsEs: ['Su certificado de discapacidad', 'Una foto reciente'],
    timeToDecision: 'Up to 10 working days', timeToDecisionEs: 'Hasta 10 días hábiles', legalBasis: 'Riverside Inclusion By-law', ownerName: 'Elena Paredes', ownerContact: 'inclusion@riverside.example.gov', keywords: ['bus', 'travel', 'pase', 'transporte'] } },
  // Getting ill
  { slug: 'covid-19-self-assessment', agency: 'health', content: {
    name: 'COVID-19 self-assessment', nameEs: 'Autoevaluación de COVID-19',
    summary: 'Answer a few questions about your symptoms to find out whether to get tested, stay at home or get urgent care.',
    summaryEs: 'Responda algunas preguntas sobre sus síntomas para saber si debe hacerse un examen, quedarse en casa o buscar atención urgente.',
    lifeEvents: ['getting-ill', 'emergencies'], topics: ['health-and-care'],
    channels: [online('Answer the questions online; it takes about 3 minutes.', 'Responda las preguntas en línea; toma unos 3 minutos.'), phone('Call the health line on 600 360 7777, open 24 hours.', 'Llame a Salud Responde al 600 360 7777, las 24 horas.')],
    digitalisationLevel: 'end_to_end', ...FREE, documents: [], documentsEs: [], timeToDecision: 'Straight away', timeToDecisionEs: 'Al instante',
    legalBasis: 'Health Code, book I', startUrl: '/apply/covid-19-self-assessment', ownerName: 'Dr Ana Rojas', ownerContact: 'covid@health.example.gov', keywords: ['coronavirus', 'symptoms', 'síntomas', 'test', 'covid'] } },
  { slug: 'public-health-insurance', agency: 'health', content: {
    name: 'Join the public health fund', nameEs: 'Afiliarse al seguro público de salud',
    summary: 'Join the public health fund to get care at public hospitals and health centres. Free for people on low incomes.',
    summaryEs: 'Afíliese al seguro público de salud para atenderse en hospitales y centros de salud públicos. Gratis para personas de bajos ingresos.',
    lifeEvents: ['getting-ill', 'looking-for-work'], topics: ['health-and-care'],
    channels: [online('Join online with your digital identity.', 'Afíliese en línea con su identidad digital.'), ANY_OFFICE, CALL_CENTRE],
    digitalisationLevel: 'end_to_end', signInNeeded: true, fees: '7% of your wages; free if you have no income', feesEs: '7% de su remuneración; gratis si no tiene ingresos',
    ...ID_CARD, timeToDecision: 'Straight away', timeToDecisionEs: 'Al instante', legalBasis: 'Health Act 18.469', startUrl: 'https://health.example.gov/fund/join', ownerName: 'Carla Muñoz', ownerContact: 'fund@health.example.gov', keywords: ['insurance', 'fonasa', 'seguro', 'hospital'] } },
  { slug: 'sick-pay', agency: 'health', content: {
    name: 'Get paid when you are off sick', nameEs: 'Cobrar el subsidio por licencia médica',
    summary: 'If your doctor signs you off work, you are paid while you recover.',
    summaryEs: 'Si su médico le da licencia, recibe un pago mientras se recupera.',
    lifeEvents: ['getting-ill'], topics: ['health-and-care', 'work-and-employment', 'benefits-and-support'],
    channels: [online('Your doctor sends the certificate online; track it with your digital identity.', 'Su médico envía la licencia en línea; siga su estado con su identidad digital.'), CALL_CENTRE],
    digitalisationLevel: 'proactive', signInNeeded: true, ...FREE, documents: ['The sick-leave certificate from your doctor'], documentsEs: ['La licencia médica de su médico'],
    timeToDecision: 'Paid within 30 days', timeToDecisionEs: 'Pago dentro de 30 días', legalBasis: 'Sick Pay decree 3', startUrl: 'https://health.example.gov/leave', ownerName: 'Carla Muñoz', ownerContact: 'leave@health.example.gov', keywords: ['sick leave', 'licencia médica', 'illness'] } },
  { slug: 'childhood-vaccinations', agency: 'health', content: {
    name: 'Childhood vaccinations', nameEs: 'Vacunas infantiles',
    summary: 'Free vaccinations for children at set ages, at your health centre or at school.',
    summaryEs: 'Vacunas gratuitas para niños a edades definidas, en su centro de salud o en el colegio.',
    lifeEvents: ['having-a-baby', 'growing-up-and-school'], topics: ['health-and-care', 'families'],
    channels: [inPerson('Go to your local health centre; bring the child’s health booklet.', 'Vaya a su centro de salud; lleve el carné de control del niño.'), mobileOffice('Vaccination teams visit schools each term.', 'Los equipos de vacunación visitan los colegios cada semestre.')],
    digitalisationLevel: 'information', ...FREE, documents: ['Your child’s health booklet'], documentsEs: ['El carné de control de su hijo o hija'],
    timeToDecision: 'On the day', timeToDecisionEs: 'En el día', legalBasis: 'National Immunisation Programme decree 6', ownerName: 'Dr Ana Rojas', ownerContact: 'vaccines@health.example.gov', keywords: ['vaccine', 'vacuna', 'immunisation', 'jab'] } },
  // Retiring
  { slug: 'claim-state-pension', agency: 'social-development', content: {
    name: 'Claim the basic state pension', nameEs: 'Solicitar la pensión garantizada universal',
    summary: 'A monthly pension from age 65 for people who do not have a large private pension.',
    summaryEs: 'Una pensión mensual desde los 65 años para quienes no tienen una pensión privada alta.',
    lifeEvents: ['retiring'], topics: ['benefits-and-support'],
    channels: [online('Claim online; we check your pension record for you.', 'Solicítela en línea; revisamos su historial previsional por usted.'), ANY_OFFICE, CALL_CENTRE],
    digitalisationLevel: 'online_application', signInNeeded: true, ...FREE, ...ID_CARD, timeToDecision: 'Up to 30 days', timeToDecisionEs: 'Hasta 30 días',
    legalBasis: 'Universal Guaranteed Pension Act 21.419', startUrl: 'https://social.example.gov/pension/claim', ownerName: 'Pedro Silva', ownerContact: 'pensions@social.example.gov', keywords: ['pension', 'pensión', 'retirement', 'jubilación', 'old age'] } },
  { slug: 'pension-contributions-statement', agency: 'labour', content: {
    name: 'Check your pension contributions', nameEs: 'Revisar sus cotizaciones previsionales',
    summary: 'See which employers paid into your pension, month by month, and report any missing payments.',
    summaryEs: 'Vea qué empleadores pagaron su previsión, mes a mes, y denuncie los pagos que falten.',
    lifeEvents: ['retiring', 'looking-for-work'], topics: ['work-and-employment'],
    channels: [online('Download your statement online.', 'Descargue su certificado en línea.'), kiosk('Print it at a self-service kiosk.', 'Imprímalo en un tótem de autoatención.')],
    digitalisationLevel: 'end_to_end', signInNeeded: true, ...FREE, documents: [], documentsEs: [], timeToDecision: 'Straight away', timeToDecisionEs: 'Al instante',
    legalBasis: 'Pensions Act 3.500', startUrl: 'https://labour.example.gov/contributions', ownerName: 'Sofía Lagos', ownerContact: 'contributions@labour.example.gov', keywords: ['cotizaciones', 'pension', 'contributions', 'AFP'] } },
  { slug: 'winter-heating-support', agency: 'social-development', status: 'draft', content: {
    name: 'Help with heating costs in winter', nameEs: 'Apoyo para calefacción en invierno',
    summary: 'A one-off payment in June for pensioners and families on low incomes to help with heating.',
    summaryEs: 'Un pago único en junio para personas pensionadas y familias de bajos ingresos para ayudar con la calefacción.',
    lifeEvents: ['retiring'], topics: ['benefits-and-support'],
    channels: [], digitalisationLevel: 'proactive', ...FREE, documents: [], documentsEs: [], timeToDecision: 'Paid automatically in June', timeToDecisionEs: 'Se paga automáticamente en junio',
    legalBasis: '', ownerName: 'Pedro Silva', ownerContact: 'pensions@social.example.gov', keywords: ['heating', 'calefacción', 'leña', 'gas'] } },
  // When someone dies
  { slug: 'register-a-death', agency: 'civil-registry', content: {
    name: 'Register a death', nameEs: 'Inscribir una defunción',
    summary: 'Register a death within 3 days so you can arrange the funeral and deal with the person’s affairs.',
    summaryEs: 'Inscriba la defunción dentro de 3 días para poder realizar el funeral y hacer los trámites de la persona.',
    lifeEvents: ['death-of-a-relative'], topics: ['identity-and-documents', 'families'],
    channels: [inPerson('Go to any civil registry office with your identity card. Hospitals register deaths that happen there for you.', 'Vaya a cualquier oficina del Registro Civil con su cédula. Los hospitales inscriben por usted las defunciones ocurridas en ellos.')],
    digitalisationLevel: 'information', ...FREE, documents: ['The medical certificate of cause of death', 'Your identity card'], documentsEs: ['El certificado médico de defunción', 'Su cédula de identidad'],
    timeToDecision: 'The same day', timeToDecisionEs: 'El mismo día', legalBasis: 'Civil Registry Act, article 44', ownerName: 'Marta Fuentes', ownerContact: 'deaths@registry.example.gov', keywords: ['death', 'defunción', 'died', 'bereavement', 'fallecimiento'] } },
  { slug: 'funeral-grant', agency: 'social-development', content: {
    name: 'Get help with funeral costs', nameEs: 'Obtener la cuota mortuoria',
    summary: 'A payment towards the funeral of someone who had a pension or was in work.',
    summaryEs: 'Un pago para ayudar con el funeral de una persona que tenía pensión o trabajaba.',
    lifeEvents: ['death-of-a-relative'], topics: ['benefits-and-support', 'families'],
    channels: [online('Claim online with the funeral invoice.', 'Solicítela en línea con la factura del funeral.'), ANY_OFFICE],
    digitalisationLevel: 'online_application', signInNeeded: true, fees: 'Free. The grant is up to 15 monthly tax units.', feesEs: 'Gratis. La cuota es de hasta 15 UTM.',
    documents: ['The funeral invoice in your name', 'The death certificate'], documentsEs: ['La factura del funeral a su nombre', 'El certificado de defunción'],
    timeToDecision: 'Up to 20 working days', timeToDecisionEs: 'Hasta 20 días hábiles', legalBasis: 'Pensions Act 3.500, article 88', startUrl: 'https://social.example.gov/funeral-grant', ownerName: 'Rosa Díaz', ownerContact: 'funeral@social.example.gov', keywords: ['funeral', 'cuota mortuoria', 'burial'] } },
  { slug: 'inheritance-certificate', agency: 'civil-registry', content: {
    name: 'Get an inheritance certificate', nameEs: 'Solicitar la posesión efectiva',
    summary: 'The certificate that says who inherits when someone dies without a will, so heirs can deal with their bank and property.',
    summaryEs: 'El certificado que indica quiénes heredan cuando alguien fallece sin testamento, para que los herederos hagan trámites en bancos y propiedades.',
    lifeEvents: ['death-of-a-relative'], topics: ['identity-and-documents', 'families'],
    channels: [online('Apply online with the details of the heirs and the property.', 'Solicítela en línea con los datos de los herederos y los bienes.'), REGISTRY_OFFICE],
    digitalisationLevel: 'end_to_end', signInNeeded: true, fees: 'Free for estates under 15 annual tax units', feesEs: 'Gratis para herencias de menos de 15 UTA',
    documents: ['The death certificate', 'A list of the person’s property'], documentsEs: ['El certificado de defunción', 'Un inventario de los bienes de la persona'],
    timeToDecision: 'Up to 30 working days', timeToDecisionEs: 'Hasta 30 días hábiles', legalBasis: 'Inheritance Act 19.903', startUrl: 'https://registry.example.gov/inheritance', ownerName: 'Marta Fuentes', ownerContact: 'inheritance@registry.example.gov', keywords: ['heir', 'herencia', 'will', 'estate'] } },
  // Identity and benefits
  { slug: 'identity-card', agency: 'civil-registry', content: {
    name: 'Get or renew your identity card', nameEs: 'Obtener o renovar su cédula de identidad',
    summary: 'Book an appointment to get your first identity card or renew one that has expired, been lost or stolen.',
    summaryEs: 'Reserve una hora para obtener su primera cédula o renovar una vencida, perdida o robada.',
    lifeEvents: ['growing-up-and-school', 'moving-home'], topics: ['identity-and-documents'],
    channels: [online('Book an appointment online.', 'Reserve su hora en línea.'), REGISTRY_OFFICE, mobileOffice('The registry’s mobile office visits rural areas; check the calendar.', 'La oficina móvil del Registro Civil visita zonas rurales; revise el calendario.')],
    digitalisationLevel: 'information', fees: '3,820 pesos', feesEs: '3.820 pesos', documents: ['Your old identity card, if you have it'], documentsEs: ['Su cédula anterior, si la tiene'],
    timeToDecision: 'Ready in 10 working days', timeToDecisionEs: 'Lista en 10 días hábiles', legalBasis: 'Identification decree 26', ownerName: 'Marta Fuentes', ownerContact: 'id@registry.example.gov', keywords: ['ID card', 'carnet', 'cédula', 'passport'] } },
  { slug: 'criminal-record-certificate', agency: 'civil-registry', content: {
    name: 'Get a criminal record certificate', nameEs: 'Obtener el certificado de antecedentes',
    summary: 'Employers may ask for this certificate. Download it for free.',
    summaryEs: 'Los empleadores pueden pedir este certificado. Descárguelo gratis.',
    lifeEvents: ['looking-for-work'], topics: ['identity-and-documents', 'work-and-employment'],
    channels: [online('Download it straight away.', 'Descárguelo al instante.'), kiosk('Print it at a self-service kiosk.', 'Imprímalo en un tótem de autoatención.'), REGISTRY_OFFICE],
    digitalisationLevel: 'end_to_end', signInNeeded: true, ...FREE, documents: [], documentsEs: [], timeToDecision: 'Straight away', timeToDecisionEs: 'Al instante',
    legalBasis: 'Criminal Records decree 64', startUrl: 'https://registry.example.gov/certificates/record', ownerName: 'Marta Fuentes', ownerContact: 'certificates@registry.example.gov', keywords: ['background check', 'antecedentes', 'police record'] } },
  { slug: 'social-household-registry', agency: 'social-development', content: {
    name: 'Join the social household registry', nameEs: 'Ingresar al Registro Social de Hogares',
    summary: 'Join once to be considered for most benefits. It places your household in an income band using data the government already holds.',
    summaryEs: 'Ingrese una vez para postular a la mayoría de los beneficios. Ubica a su hogar en un tramo de ingresos usando datos que el Estado ya tiene.',
    lifeEvents: ['having-a-baby', 'moving-home', 'looking-for-work', 'retiring'], topics: ['benefits-and-support', 'families'],
    channels: [online('Apply online; you only confirm who lives with you.', 'Postule en línea; solo confirma quiénes viven con usted.'), inPerson('Your town hall’s social department helps you apply.', 'El departamento social de su municipalidad le ayuda a postular.')],
    digitalisationLevel: 'end_to_end', signInNeeded: true, ...FREE, documents: ['The identity numbers of everyone in your household'], documentsEs: ['Los números de identidad de todas las personas de su hogar'],
    timeToDecision: 'Up to 20 working days', timeToDecisionEs: 'Hasta 20 días hábiles', legalBasis: 'Social Household Registry decree 22', startUrl: 'https://social.example.gov/household', ownerName: 'Rosa Díaz', ownerContact: 'registry@social.example.gov', keywords: ['RSH', 'ficha', 'household', 'hogar', 'benefits'] } },
  { slug: 'cash-transfer-enrolment', agency: 'social-development', content: {
    name: 'Enrol for emergency cash transfers', nameEs: 'Inscribirse en las transferencias de emergencia',
    summary: 'In an emergency, households that lose their income can enrol with 4 questions and be paid to a mobile wallet or bank account.',
    summaryEs: 'En una emergencia, los hogares que pierden sus ingresos pueden inscribirse con 4 preguntas y recibir el pago en una billetera móvil o cuenta bancaria.',
    lifeEvents: ['emergencies', 'looking-for-work'], topics: ['benefits-and-support'],
    channels: [online('Enrol online in 4 questions.', 'Inscríbase en línea con 4 preguntas.'), phone('Dial *855# from any mobile phone to enrol by text.', 'Marque *855# desde cualquier celular para inscribirse por mensaje.')],
    digitalisationLevel: 'end_to_end', signInNeeded: false, ...FREE, documents: ['Your identity number', 'Your mobile number or bank account'], documentsEs: ['Su número de identidad', 'Su número de celular o cuenta bancaria'],
    timeToDecision: 'Paid within 2 days', timeToDecisionEs: 'Pago dentro de 2 días', legalBasis: 'Emergency Family Income Act 21.230', startUrl: '/apply/cash-transfer-enrolment', ownerName: 'Tomás Reyes', ownerContact: 'emergency@social.example.gov', keywords: ['emergency', 'bono', 'money', 'cash', 'ingreso familiar'] } },
  { slug: 'emergency-housing-repairs', agency: 'riverside', content: {
    name: 'Get emergency help after a fire or flood', nameEs: 'Recibir ayuda de emergencia tras un incendio o inundación',
    summary: 'The municipality gives emergency kits, temporary shelter and help to repair homes damaged by fires, floods or earthquakes.',
    summaryEs: 'La municipalidad entrega kits de emergencia, albergue temporal y ayuda para reparar viviendas dañadas por incendios, inundaciones o terremotos.',
    lifeEvents: ['emergencies'], topics: ['housing-and-local-services', 'benefits-and-support'],
    channels: [phone('Call the emergency line on 1406, open 24 hours.', 'Llame a la línea de emergencias 1406, las 24 horas.'), inPerson('Go to the town hall’s emergency office.', 'Vaya a la oficina de emergencias de la municipalidad.')],
    digitalisationLevel: 'information', ...FREE, documents: [], documentsEs: [], timeToDecision: 'Within 24 hours', timeToDecisionEs: 'Dentro de 24 horas',
    legalBasis: 'Emergency Management Act 21.364', ownerName: 'Elena Paredes', ownerContact: 'emergencias@riverside.example.gov', keywords: ['fire', 'incendio', 'flood', 'inundación', 'earthquake', 'terremoto'] } },
];

/** Adds the demo register (services that already exist are left alone, so it is safe to run again). */
export async function seedDemoServices(platform: Platform): Promise<void> {
  const { db } = platform;
  let added = 0;
  for (const demo of DEMO_SERVICES) {
    if (await serviceSlugTaken(db, demo.slug)) continue;
    const agency = await findAgency(db, { slug: demo.agency });
    if (!agency) continue;
    const service = await createService(db, SYSTEM_ACTOR, { slug: demo.slug, agencyId: agency.id, content: demo.content, note: 'Demo register' });
    const status = demo.status ?? 'published';
    if (status === 'published') await publish(db, SYSTEM_ACTOR, service.id, { skipReview: true, forms: platform.apis.forms });
    if (status === 'in_review') await submitForReview(db, SYSTEM_ACTOR, service.id);
    added++;
  }
  if (added) platform.log.info({ services: added }, 'demo register of services seeded');
}
