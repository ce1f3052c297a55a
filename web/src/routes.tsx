// Every route of the console (../../shared/UI.md): pages are loaded on demand so the sign-in
// page stays small. Settings pages are for administrators only.
import { createBrowserRouter, Navigate } from 'react-router-dom';
import { RequireAdmin, RequireSession } from './components/guards';
import { Shell } from './components/Shell';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';

// Everyone starts at the leads list (what each user may see of it is the server's business).
function Home() {
  return <Navigate to="/leads" replace />;
}

const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({
  Component: (await load()).default,
});

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: <RequireSession />,
    children: [
      { path: '/enroll-2fa', lazy: page(() => import('./pages/EnrollPage')) },
      {
        element: <Shell />,
        children: [
          { index: true, element: <Home /> },
          { path: '/leads', lazy: page(() => import('./pages/leads/LeadsPage')) },
          { path: '/leads/board', lazy: page(() => import('./pages/leads/BoardPage')) },
          { path: '/leads/:id', lazy: page(() => import('./pages/leads/LeadPage')) },
          { path: '/contacts', lazy: page(() => import('./pages/records/ContactsPage')) },
          { path: '/contacts/:id', lazy: page(() => import('./pages/records/ContactPage')) },
          { path: '/companies', lazy: page(() => import('./pages/records/CompaniesPage')) },
          { path: '/companies/:id', lazy: page(() => import('./pages/records/CompanyPage')) },
          { path: '/customers', lazy: page(() => import('./pages/customers/CustomersPage')) },
          { path: '/customers/:id', lazy: page(() => import('./pages/customers/CustomerPage')) },
          { path: '/tasks', lazy: page(() => import('./pages/tasks/TasksPage')) },
          { path: '/incoming', lazy: page(() => import('./pages/incoming/IncomingPage')) },
          { path: '/lists', lazy: page(() => import('./pages/lists/ListsPage')) },
          { path: '/inbox', lazy: page(() => import('./pages/inbox/InboxPage')) },
          { path: '/profile', lazy: page(() => import('./pages/ProfilePage')) },
          {
            path: '/settings',
            element: <RequireAdmin />,
            children: [
              { index: true, element: <Navigate to="/settings/users" replace /> },
              { path: 'users', lazy: page(() => import('./pages/settings/UsersPage')) },
              { path: 'users/:id', lazy: page(() => import('./pages/settings/UserPage')) },
              { path: 'roles', lazy: page(() => import('./pages/settings/RolesPage')) },
              { path: 'roles/:id', lazy: page(() => import('./pages/settings/RolePage')) },
              { path: 'groups', lazy: page(() => import('./pages/settings/GroupsPage')) },
              { path: 'pipelines', lazy: page(() => import('./pages/settings/PipelinesPage')) },
              { path: 'fields', lazy: page(() => import('./pages/settings/FieldsPage')) },
              { path: 'security', lazy: page(() => import('./pages/settings/SecurityPage')) },
              { path: 'sessions', lazy: page(() => import('./pages/settings/SessionsPage')) },
              { path: 'integrations', lazy: page(() => import('./pages/settings/IntegrationsPage')) },
              { path: 'activity', lazy: page(() => import('./pages/settings/ActivityPage')) },
              { path: 'report', lazy: page(() => import('./pages/settings/ReportPage')) },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
