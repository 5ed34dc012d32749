import type { Role } from '@pipeline/domain';

export interface SalesRep {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  regions: string[];
  industries: string[];
  capacity: number;
  active: boolean;
  version: number;
  lastAssignedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

// Only reps and managers carry a lead book; analysts and admins never receive leads.
export const canOwnLeads = (rep: Pick<SalesRep, 'role' | 'active'>): boolean => rep.active && (rep.role === 'REP' || rep.role === 'MANAGER');
